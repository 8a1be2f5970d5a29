package edifact

import (
	"fmt"
	"unicode/utf8"
)

// mark places one lexed value: its data element (-1 for the tag) and occurrence.
type mark struct{ elem, occ int32 }

// segProblem is a problem found while lexing a segment, routed once the segment's place in the
// envelope is known. Repertoire violations follow the syntax-version policy.
type segProblem struct {
	err     *Error
	charset bool
}

// skipLineBreaks skips CR and LF between segments, unless the interchange uses them as separators.
func (p *parser) skipLineBreaks() {
	for p.pos < len(p.src) {
		c := p.src[p.pos]
		if c != '\r' && c != '\n' || c == p.d.Element || c == p.d.Component || c == p.d.Release || c == p.d.Repetition {
			return
		}
		p.pos++
	}
}

// lex reads the segment starting at p.pos and advances past its terminator. Values are substrings of
// the input when they need neither unescaping nor transcoding; the element and component slices are
// carved from slabs shared by the whole file.
func (p *parser) lex() Segment {
	d := p.d
	src := p.src
	start := p.pos
	p.segNo++
	p.vals = p.vals[:0]
	p.marks = p.marks[:0]

	elem, occ, comp := int32(-1), int32(0), int32(0)
	valStart := start
	escaped := false
	terminated, released := false, false
	lastSep := false // the previous byte was an unreleased separator
	tag := ""
	i := start
	emit := func(end int) {
		v := p.value(valStart, end, escaped, elem, comp, tag)
		if elem < 0 && comp == 0 {
			tag = v
		}
		p.vals = append(p.vals, v)
		p.marks = append(p.marks, mark{elem, occ})
	}
scan:
	for i < len(src) {
		c := src[i]
		switch {
		case c == d.Release && d.Release != 0:
			if i+1 >= len(src) {
				p.lexErr(Error{Segment: p.segNo, Tag: tagOr(tag, src[valStart:i]), Offset: i, Code: CodeMissing,
					Reason: fmt.Sprintf("input ends with the release character %s, which escapes nothing; the segment has no terminator", char(c))})
				emit(i)
				i++
				released = true
				break scan
			}
			escaped = true
			lastSep = false
			i += 2
			continue
		case c == d.Segment:
			emit(i)
			terminated = true
			i++
			break scan
		case c == d.Element:
			emit(i)
			elem, occ, comp = elem+1, 0, 0
		case c == d.Component:
			emit(i)
			comp++
		case c == d.Repetition && d.Repetition != 0 && elem >= 0:
			emit(i)
			occ, comp = occ+1, 0
		default:
			i++
			lastSep = false
			continue
		}
		i++
		lastSep = true
		valStart, escaped = i, false
	}
	if !terminated && !released {
		emit(len(src))
		p.lexErr(Error{Segment: p.segNo, Tag: tag, Offset: len(src), Code: CodeMissing,
			Reason: fmt.Sprintf("segment has no terminator %s before the end of input", char(d.Segment))})
	}
	if terminated && lastSep {
		p.trailingSep(tag)
	}
	p.pos = i
	return p.build(tag, start)
}

func tagOr(tag, raw string) string {
	if tag != "" {
		return tag
	}
	return raw
}

// build turns the lexed values into a Segment.
func (p *parser) build(tag string, offset int) Segment {
	seg := Segment{Tag: tag, Number: p.segNo, Offset: offset}
	// Skip the tag and any extra tag components (syntax 1 to 3 allowed nesting indicators there).
	first := 0
	for first < len(p.marks) && p.marks[first].elem < 0 {
		first++
	}
	n := len(p.vals) - first
	if n == 0 {
		return seg
	}
	comps := p.carveComps(n)
	copy(comps, p.vals[first:])
	marks := p.marks[first:]
	seg.Elements = p.carveElems(int(marks[n-1].elem) + 1)
	for j := 0; j < n; {
		e, o := marks[j].elem, marks[j].occ
		k := j + 1
		for k < n && marks[k] == marks[j] {
			k++
		}
		if o == 0 {
			seg.Elements[e] = comps[j:k:k]
		} else {
			if seg.Repeats == nil {
				seg.Repeats = make(map[int][][]string)
			}
			seg.Repeats[int(e)] = append(seg.Repeats[int(e)], comps[j:k:k])
		}
		j = k
	}
	return seg
}

const slabSize = 512

func (p *parser) carveComps(n int) []string {
	if len(p.compSlab) < n {
		p.compSlab = make([]string, max(n, slabSize))
	}
	s := p.compSlab[:n:n]
	p.compSlab = p.compSlab[n:]
	return s
}

func (p *parser) carveElems(n int) [][]string {
	if len(p.elemSlab) < n {
		p.elemSlab = make([][]string, max(n, slabSize))
	}
	s := p.elemSlab[:n:n]
	p.elemSlab = p.elemSlab[n:]
	return s
}

// value returns the data between start and end with release characters removed, decoded into UTF-8
// per the repertoire, and records a repertoire violation if there is one.
func (p *parser) value(start, end int, escaped bool, elem, comp int32, tag string) string {
	raw := p.src[start:end]
	v, bad, high := p.cs.check(raw, p.d.Release)
	if bad {
		t := tag
		if elem < 0 {
			t = raw
		}
		p.charErr(Error{Segment: p.segNo, Tag: t, Element: int(elem) + 1, Component: int(comp) + 1,
			Offset: start + v.at, Code: v.code,
			Reason: fmt.Sprintf("%s is not in the %s repertoire", v.what, p.cs.name)})
	}
	// Bytes that are not UTF-8 are read as Latin-1 whatever the repertoire said, so every value is valid UTF-8.
	toLatin1 := (high && p.cs.latin1()) || !utf8.ValidString(raw)
	if !escaped && !toLatin1 {
		return raw
	}
	buf := p.buf[:0]
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == p.d.Release && escaped {
			i++
			if i >= len(raw) {
				break
			}
			c = raw[i]
		}
		if toLatin1 && c >= utf8.RuneSelf {
			buf = utf8.AppendRune(buf, rune(c))
		} else {
			buf = append(buf, c)
		}
	}
	p.buf = buf
	return string(buf)
}

// offsetOf returns the byte offset of data element n, component c of seg (1-based; 0 means the whole
// segment or element), found again in the input with the current delimiters.
func (p *parser) offsetOf(seg Segment, n, c int) int {
	if n <= 0 || seg.Offset >= len(p.src) {
		return seg.Offset
	}
	d := p.d
	elem, comp := 0, 1
	for i := seg.Offset; i < len(p.src); i++ {
		ch := p.src[i]
		switch {
		case ch == d.Release && d.Release != 0:
			i++
		case ch == d.Segment:
			return seg.Offset
		case ch == d.Element:
			elem, comp = elem+1, 1
			if elem == n && c <= 1 {
				return i + 1
			}
		case ch == d.Component && elem == n:
			comp++
			if comp == c {
				return i + 1
			}
		}
	}
	return seg.Offset
}
