package queries

import (
	"fmt"
	"math"
	"strconv"

	"github.com/graphql-go/graphql/gqlerrors"
	"github.com/graphql-go/graphql/language/ast"
)

// DefaultMaxComplexity is the default of Config.MaxComplexity: room for the largest page every field
// serves (500 timeline entries of every field) and for GraphiQL's introspection query.
const DefaultMaxComplexity = 20000

// defaultPageCost is what a paged field (one with a first argument) counts its rows as when the request
// does not say how many it wants: the readers' default page.
const defaultPageCost = 50

// complexity estimates what a request costs to answer: one per field selected, a field under a paged
// field (one given first, or a connection) counting once per row of the page. Fragments are counted where they are
// spread. It runs after checkDepth, so fragments do not spread themselves.
func complexity(doc *ast.Document, operationName string, variables map[string]any) int {
	c := complexityWalker{fragments: map[string]*ast.FragmentDefinition{}, known: map[string]int{}, variables: variables}
	for _, def := range doc.Definitions {
		if f, ok := def.(*ast.FragmentDefinition); ok && f.Name != nil {
			c.fragments[f.Name.Value] = f
		}
	}
	total := 0
	for _, def := range doc.Definitions {
		op, ok := def.(*ast.OperationDefinition)
		if !ok || (operationName != "" && (op.Name == nil || op.Name.Value != operationName)) {
			continue
		}
		total = max(total, c.selectionSet(op.SelectionSet))
	}
	return total
}

type complexityWalker struct {
	fragments map[string]*ast.FragmentDefinition
	known     map[string]int
	variables map[string]any
}

func (c *complexityWalker) selectionSet(set *ast.SelectionSet) int {
	if set == nil {
		return 0
	}
	total := 0
	for _, sel := range set.Selections {
		switch s := sel.(type) {
		case *ast.Field:
			total = saturatingAdd(total, saturatingAdd(1, saturatingMul(c.rows(s), c.selectionSet(s.SelectionSet))))
		case *ast.InlineFragment:
			total = saturatingAdd(total, c.selectionSet(s.SelectionSet))
		case *ast.FragmentSpread:
			if s.Name == nil {
				continue
			}
			name := s.Name.Value
			cost, ok := c.known[name]
			if !ok {
				c.known[name] = 0 // a cycle counts nothing (checkDepth has refused cycles already)
				if f := c.fragments[name]; f != nil {
					cost = c.selectionSet(f.SelectionSet)
				}
				c.known[name] = cost
			}
			total = saturatingAdd(total, cost)
		}
	}
	return total
}

// rows is how many times a field's selection is answered: the page size of a paged field (one given first,
// or a Relay connection, which selects edges), else one.
func (c *complexityWalker) rows(f *ast.Field) int {
	for _, arg := range f.Arguments {
		if arg.Name == nil || arg.Name.Value != "first" {
			continue
		}
		switch v := arg.Value.(type) {
		case *ast.IntValue:
			if n, err := strconv.Atoi(v.Value); err == nil && n > 0 {
				return n
			}
		case *ast.Variable:
			if v.Name != nil {
				switch n := c.variables[v.Name.Value].(type) {
				case float64:
					if n > 0 && n < math.MaxInt32 {
						return int(n)
					}
				case int:
					if n > 0 {
						return n
					}
				}
			}
		}
		return defaultPageCost
	}
	if c.selectsEdges(f.SelectionSet, map[string]bool{}) {
		return defaultPageCost
	}
	return 1
}

// selectsEdges reports whether a selection set selects edges, directly or through fragments.
func (c *complexityWalker) selectsEdges(set *ast.SelectionSet, seen map[string]bool) bool {
	if set == nil {
		return false
	}
	for _, sel := range set.Selections {
		switch s := sel.(type) {
		case *ast.Field:
			if s.Name != nil && s.Name.Value == "edges" {
				return true
			}
		case *ast.InlineFragment:
			if c.selectsEdges(s.SelectionSet, seen) {
				return true
			}
		case *ast.FragmentSpread:
			if s.Name == nil || seen[s.Name.Value] {
				continue
			}
			seen[s.Name.Value] = true
			if f := c.fragments[s.Name.Value]; f != nil && c.selectsEdges(f.SelectionSet, seen) {
				return true
			}
		}
	}
	return false
}

func saturatingAdd(a, b int) int {
	if a > math.MaxInt32-b {
		return math.MaxInt32
	}
	return a + b
}

func saturatingMul(a, b int) int {
	if a != 0 && b > math.MaxInt32/a {
		return math.MaxInt32
	}
	return a * b
}

// checkComplexity refuses a request that costs more than limit.
func checkComplexity(doc *ast.Document, req Request, limit int) *gqlerrors.FormattedError {
	cost := complexity(doc, req.OperationName, req.Variables)
	if cost <= limit {
		return nil
	}
	e := gqlerrors.NewFormattedError(fmt.Sprintf(
		"query complexity %d exceeds the limit of %d (each field counts once per row of the pages above it); ask for smaller pages or fewer fields",
		cost, limit))
	e.Extensions = map[string]any{"code": "QUERY_TOO_COMPLEX", "complexity": cost, "maxComplexity": limit}
	return &e
}
