package domain

import "strings"

// Violation is one broken rule of a document. Field is the path of the offending field in the canonical
// document, in JSON pointer form with the canonical snake_case names ("/lines/2/quantity"), so a JSON
// adapter can hand it to the partner as is and other adapters can map it to their own locations.
type Violation struct {
	Field  string
	Reason string
}

// ValidationError lists every rule a document breaks, so the partner can fix them all in one go.
type ValidationError struct {
	// Document names what was invalid ("receipt", "invoice").
	Document   string
	Violations []Violation
}

func (e *ValidationError) Error() string {
	parts := make([]string, len(e.Violations))
	for i, v := range e.Violations {
		parts[i] = v.Field + ": " + v.Reason
	}
	return "invalid " + e.Document + ": " + strings.Join(parts, "; ")
}
