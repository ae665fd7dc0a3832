// Take one role label (Context, Mechanism or Outcome) from concepts. $ids: concept ids.
UNWIND $ids AS id
MATCH (n:Concept {theory: $theory, id: id})
REMOVE n:__ROLE__
