// New nodes of one label, for servers before Neo4j 5.26 (no labels from a row). $rows:
// [{labels, props}], props holding theory and id; concepts get their role labels
// afterwards (add_role.cypher). With a label written out and no RETURN, SET n = map streams.
UNWIND $rows AS r
CREATE (n:__LABEL__)
SET n = r.props
