// A theory loaded for the first time, nodes and relationships in one statement, when it
// fits in one batch (Neo4j 5.26 or later): on a server just started each distinct
// statement is planned once, and this one replaces create_nodes.cypher and the
// create_relationships.cypher of every pair of end labels. $nodes: [{labels, props}] as
// for create_nodes.cypher; $rels: [{start, end, type, cmoc, order}], start and end the
// positions of the end nodes in $nodes, so no end is looked up at all.
UNWIND range(0, size($nodes) - 1) AS i
WITH i, $nodes[i] AS r
CREATE (n:$(r.labels))
SET n = r.props
WITH n ORDER BY i
WITH collect(n) AS made
UNWIND $rels AS x
WITH made[x.start] AS a, made[x.end] AS b, x
CREATE (a)-[:$(x.type) {theory: $theory, cmoc: x.cmoc, order: x.order}]->(b)
