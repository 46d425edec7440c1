-- Placeholder in the draw worktree only, so that migration 15 has its predecessors here; the
-- real migration of this number belongs to the positive module. Removed at merge.
SELECT 1;
