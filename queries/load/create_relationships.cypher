// New relationships of one type. $rows: [{start, end, cmoc, order, match}]: start and end
// are element ids of nodes created or read earlier in the same transaction (element
// ids are stable within it), so no end is looked up by property. A null cmoc,
// order or match (MAPS_TO's match type) is simply not stored. The properties are
// spelled out (not SET x = map) so that no Eager step is needed.
UNWIND $rows AS r
MATCH (a) WHERE elementId(a) = r.start
MATCH (b) WHERE elementId(b) = r.end
CREATE (a)-[:__TYPE__ {theory: $theory, cmoc: r.cmoc, order: r.order, match: r.match}]->(b)
