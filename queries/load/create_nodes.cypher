// New nodes of one label. $rows: [{props}], props holding theory and id.
// Concepts get their role labels afterwards (add_role.cypher).
UNWIND $rows AS r
CREATE (n:__LABEL__)
SET n = r.props
