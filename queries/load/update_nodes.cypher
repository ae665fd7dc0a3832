// Replace all properties of existing nodes of one label. $rows: [{id, props}].
UNWIND $rows AS r
MATCH (n:__LABEL__ {theory: $theory, id: r.id})
SET n = r.props
