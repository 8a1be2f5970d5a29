package postgres

// SetBeforeCommit installs (or, with nil, removes) the hook Append calls between its statement and
// COMMIT; see Store.beforeCommit.
func SetBeforeCommit(s *Store, hook func(stream string)) {
	if hook == nil {
		s.beforeCommit.Store(nil)
		return
	}
	s.beforeCommit.Store(&hook)
}
