// Cheapest round trip to the chosen database: fails when it does not exist.
RETURN 1 AS ok
