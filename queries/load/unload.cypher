// Every node of one theory that carries one label, with its relationships.
MATCH (n:__LABEL__)
WHERE n.theory = $theory AND n.id IS NOT NULL
DETACH DELETE n
