// One uniqueness constraint per label on (theory, id): a Community feature, and
// its index is what every load, unload and dump query seeks.
CREATE CONSTRAINT ptgraph___LABEL___key IF NOT EXISTS
FOR (n:__LABEL__) REQUIRE (n.theory, n.id) IS UNIQUE
