// New relationships of one type between nodes of two labels.
// $rows: [{start, end, cmoc, order}]; a null cmoc or order is simply not stored.
// The properties are spelled out (not SET x = map) so that no Eager step is needed.
UNWIND $rows AS r
MATCH (a:__START__ {theory: $theory, id: r.start})
MATCH (b:__END__ {theory: $theory, id: r.end})
CREATE (a)-[:__TYPE__ {theory: $theory, cmoc: r.cmoc, order: r.order}]->(b)
