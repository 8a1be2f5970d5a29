package x12

import "strings"

// Delimiters are the separators of one interchange, read from its ISA.
type Delimiters struct {
	Element, Component, Segment byte
	// Repetition is ISA11 when ISA11 is a separator (4020 and later); 0 when it is not (4010 sends 'U').
	Repetition byte
}

// DefaultDelimiters are the usual ones: '*' between elements, '>' between components, '~' after each
// segment, and no repetition separator (ISA11 'U', as 4010 requires).
func DefaultDelimiters() Delimiters {
	return Delimiters{Element: '*', Component: '>', Segment: '~'}
}

// Segment is one segment of a file.
type Segment struct {
	ID       string   // "BSN"
	Elements []string // data elements: Elements[0] is BSN01 (the ID is not included)
	Number   int      // 1-based position of the segment in the file, counting from the first ISA
	Offset   int      // byte offset in the input of the segment's first byte (its ID)
	// ComponentSeparator splits composite elements in Component; 0 (a Segment made by hand) means '>'.
	ComponentSeparator byte
	// RepetitionSeparator splits repeated elements in Repetitions; 0 means the interchange has none.
	RepetitionSeparator byte
}

// Element returns data element n by its 1-based X12 reference number (Element(2) is BSN02), or "" when
// the segment has fewer elements.
func (s Segment) Element(n int) string {
	if n < 1 || n > len(s.Elements) {
		return ""
	}
	return s.Elements[n-1]
}

// Component returns component c (1-based) of element n, split on the component separator; "" when
// absent. Component(n, 1) of a simple element is the element itself.
func (s Segment) Component(n, c int) string {
	v := s.Element(n)
	if c < 1 || v == "" {
		return ""
	}
	sep := s.ComponentSeparator
	if sep == 0 {
		sep = '>'
	}
	for i := 1; ; i++ {
		j := strings.IndexByte(v, sep)
		if i == c {
			if j < 0 {
				return v
			}
			return v[:j]
		}
		if j < 0 {
			return ""
		}
		v = v[j+1:]
	}
}

// Repetitions returns the repeats of element n split on the repetition separator (one value when the
// interchange has no repetition separator), or nil when the element is empty. It allocates; Element and
// Component do not.
func (s Segment) Repetitions(n int) []string {
	v := s.Element(n)
	if v == "" {
		return nil
	}
	if s.RepetitionSeparator == 0 {
		return []string{v}
	}
	return strings.Split(v, string([]byte{s.RepetitionSeparator}))
}
