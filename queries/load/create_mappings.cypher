// New MAPS_TO relationships of a theory: from its concepts to the terms of its shared
// vocabulary, which another load wrote. $rows: [{start, end, match}]: the concept id in
// $theory, the term id in $vocabulary, each end found through its label's (theory, id)
// uniqueness index.
UNWIND $rows AS r
MATCH (a:Concept {theory: $theory, id: r.start})
MATCH (b:Term {theory: $vocabulary, id: r.end})
CREATE (a)-[:MAPS_TO {theory: $theory, match: r.match}]->(b)
