// Every node of the database with its outgoing relationships, each with its end
// node's content, in one statement (tests compare dumps to show nothing else changed).
MATCH (n)
RETURN labels(n) AS labels, properties(n) AS props,
       [(n)-[r]->(m) | {type: type(r), props: properties(r),
                        end_labels: labels(m), end_props: properties(m)}] AS out
