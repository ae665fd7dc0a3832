// Relationships read earlier in the same transaction. $ids: element ids.
MATCH ()-[x]->()
WHERE elementId(x) IN $ids
DELETE x
