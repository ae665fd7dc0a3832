// Every relationship of the database.
MATCH (a)-[r]->(b)
RETURN elementId(a) AS start, type(r) AS type, elementId(b) AS end, properties(r) AS props
