// Nodes read earlier in the same transaction, with whatever still touches them. $ids: element ids.
MATCH (n)
WHERE elementId(n) IN $ids
DETACH DELETE n
