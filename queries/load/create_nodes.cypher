// New nodes, every label of the graph model in one statement (Neo4j 5.26 or later;
// create_nodes_by_label.cypher does without). $rows: [{labels, props}]: labels is the
// node's label then its role labels, props holds theory and id. Nothing is returned:
// relationships find their ends through the (theory, id) uniqueness index. With labels
// from the row the planner puts an Eager step before SET n = map (it cannot tell which
// labels the keys belong to): on 10,000 CMOCs that cost about 0.3 s more than a statement
// per set of labels, less than planning those statements costs a load on a server just
// started.
UNWIND $rows AS r
CREATE (n:$(r.labels))
SET n = r.props
