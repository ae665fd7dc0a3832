// Every node of the database (tests compare dumps to show nothing else changed).
MATCH (n)
RETURN elementId(n) AS element_id, labels(n) AS labels, properties(n) AS props
