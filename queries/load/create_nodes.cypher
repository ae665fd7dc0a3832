// New nodes, every label of the graph model in one statement. $rows: [{labels, props}]:
// labels is the node's label then its role labels, props holds theory and id. Nothing is
// returned: relationships find their ends through the (theory, id) uniqueness index, and
// a RETURN after SET n = map would make the planner hold each batch in an Eager step.
// Labels from a row ($(...)) need Neo4j 5.26; create_nodes_by_label.cypher does without.
UNWIND $rows AS r
CREATE (n:$(r.labels))
SET n = r.props
