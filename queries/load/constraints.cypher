// The uniqueness constraints of the database, to create only the missing ones: a
// schema command takes a transaction of its own and, on a server just started, is
// among the slowest statements of a first load.
SHOW CONSTRAINTS YIELD type, labelsOrTypes, properties
WHERE type IN ['UNIQUENESS', 'NODE_KEY']
RETURN labelsOrTypes AS labels, properties
