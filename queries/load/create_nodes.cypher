// New nodes of one label. $rows: [{props}], props holding theory and id.
// Concepts get their role labels afterwards (add_role.cypher). Each node's element
// id comes back, so that the relationships of the same transaction find their
// ends by id rather than by an index seek on (theory, id).
UNWIND $rows AS r
CREATE (n:__LABEL__)
SET n = r.props
RETURN r.props.id AS id, elementId(n) AS element_id
