package queries

import (
	"fmt"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
	"github.com/graphql-go/graphql/language/location"
	"github.com/graphql-go/graphql/language/source"
)

// checkDepth rejects a document whose field nesting goes deeper than maxDepth in any operation,
// following fragment spreads, or whose fragments spread themselves. It returns nil when the document
// is within the limit.
//
// Fields named ofType are not counted: they only exist on the introspection type __Type, and an ofType
// chain ends at the first type that wraps nothing, so however deep a query nests them, execution stops
// after the schema's own wrapping depth. Counting them would reject the introspection query of GraphiQL
// and graphql-js (nine nested ofType) under any reasonable limit, while the recursion that does cost
// (fields → type → fields → ...) is still counted.
func checkDepth(doc *ast.Document, src *source.Source, maxDepth int) *gqlerrors.FormattedError {
	fragments := map[string]*ast.FragmentDefinition{}
	for _, def := range doc.Definitions {
		if f, ok := def.(*ast.FragmentDefinition); ok && f.Name != nil {
			fragments[f.Name.Value] = f
		}
	}
	w := depthWalker{fragments: fragments, known: map[string]fragmentDepth{}, visiting: map[string]bool{}}
	for _, def := range doc.Definitions {
		var (
			depth   int
			deepest *ast.Field
		)
		switch d := def.(type) {
		case *ast.OperationDefinition:
			depth, deepest = w.selectionSet(d.SelectionSet)
		case *ast.FragmentDefinition:
			// Unused fragments are walked too: graphql-go's validation recurses through every fragment
			// and overflows the stack on a cycle, killing the process, so cycles must be caught here.
			depth, deepest = w.fragment(d.Name.Value)
		}
		if w.cycle != nil {
			e := gqlerrors.NewFormattedError(fmt.Sprintf("fragment %q spreads itself", w.cycle.Name.Value))
			if w.cycle.Loc != nil {
				e.Locations = []location.SourceLocation{location.GetLocation(src, w.cycle.Loc.Start)}
			}
			e.Extensions = map[string]any{"code": "FRAGMENT_CYCLE"}
			return &e
		}
		if depth <= maxDepth {
			continue
		}
		e := gqlerrors.NewFormattedError(fmt.Sprintf(
			"query depth %d exceeds the limit of %d; ask for fewer nested fields or split the query",
			depth, maxDepth))
		if deepest != nil && deepest.Loc != nil {
			e.Locations = []location.SourceLocation{location.GetLocation(src, deepest.Loc.Start)}
		}
		e.Extensions = map[string]any{"code": "QUERY_TOO_DEEP", "depth": depth, "maxDepth": maxDepth}
		return &e
	}
	return nil
}

type depthWalker struct {
	fragments map[string]*ast.FragmentDefinition
	// known memoises each fragment's depth: without it a chain of fragments that each spread the next
	// twice would take exponential time to walk.
	known map[string]fragmentDepth
	// visiting holds the fragments on the current path, to find cycles.
	visiting map[string]bool
	// cycle is the first spread found that closes a cycle.
	cycle *ast.FragmentSpread
}

type fragmentDepth struct {
	depth   int
	deepest *ast.Field
}

// selectionSet returns how many levels of fields a selection set nests (1 for a set of leaves) and the
// field reaching the deepest level.
func (w *depthWalker) selectionSet(set *ast.SelectionSet) (int, *ast.Field) {
	if set == nil {
		return 0, nil
	}
	maxDepth, deepest := 0, (*ast.Field)(nil)
	consider := func(d int, f *ast.Field) {
		if d > maxDepth || deepest == nil {
			maxDepth, deepest = d, f
		}
	}
	for _, sel := range set.Selections {
		switch s := sel.(type) {
		case *ast.Field:
			own := 1
			if s.Name != nil && s.Name.Value == "ofType" {
				own = 0
			}
			below, f := w.selectionSet(s.SelectionSet)
			if f == nil {
				f = s
			}
			consider(own+below, f)
		case *ast.InlineFragment:
			consider(w.selectionSet(s.SelectionSet))
		case *ast.FragmentSpread:
			if s.Name == nil {
				continue
			}
			if w.visiting[s.Name.Value] {
				if w.cycle == nil {
					w.cycle = s
				}
				continue
			}
			consider(w.fragment(s.Name.Value))
		}
	}
	return maxDepth, deepest
}

func (w *depthWalker) fragment(name string) (int, *ast.Field) {
	if d, ok := w.known[name]; ok {
		return d.depth, d.deepest
	}
	frag, ok := w.fragments[name]
	if !ok {
		return 0, nil
	}
	w.visiting[name] = true
	depth, deepest := w.selectionSet(frag.SelectionSet)
	delete(w.visiting, name)
	w.known[name] = fragmentDepth{depth: depth, deepest: deepest}
	return depth, deepest
}
