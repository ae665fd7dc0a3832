// Give concepts one role label (Context, Mechanism or Outcome). $ids: concept ids.
UNWIND $ids AS id
MATCH (n:Concept {theory: $theory, id: id})
SET n:__ROLE__
