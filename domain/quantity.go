package domain

import (
	"errors"
	"fmt"
	"strings"

	"github.com/shopspring/decimal"
)

// Quantity errors, matched with errors.Is.
var (
	// ErrInvalidQuantity means a quantity's amount is not a decimal number.
	ErrInvalidQuantity = errors.New("invalid quantity")
	// ErrInvalidUnit means a unit code is empty or not a plain code.
	ErrInvalidUnit = errors.New("invalid unit of measure")
)

// maxUnitLen bounds unit codes: X12 uses two characters (EA, CS), UN/ECE Recommendation 20 three (C62,
// KGM). Anything longer is a description, not a code, and would never match a crosswalk entry.
const maxUnitLen = 3

// Quantity is an amount in a unit of measure, in Crossdock's canonical form: an exact decimal (never a
// float, so 0.1 + 0.2 stays 0.3 when lines are summed) and an upper-case unit code.
//
// Only the canonical quantity is held here. The quantity and unit exactly as the partner wrote them,
// before the unit-of-measure crosswalk, will be kept beside it (issue 3); until then partners send
// canonical units and the two are the same.
type Quantity struct {
	Amount decimal.Decimal
	Unit   string
}

// NewQuantity builds a quantity from amount and unit, normalising the unit code to upper case.
func NewQuantity(amount decimal.Decimal, unit string) (Quantity, error) {
	u, err := NormalizeUnit(unit)
	if err != nil {
		return Quantity{}, err
	}
	return Quantity{Amount: amount, Unit: u}, nil
}

// ParseQuantity reads amount as a decimal string ("12", "12.50", "-3") and builds the quantity.
func ParseQuantity(amount, unit string) (Quantity, error) {
	d, err := ParseAmount(amount)
	if err != nil {
		return Quantity{}, err
	}
	return NewQuantity(d, unit)
}

// ParseAmount reads a decimal string. Exponents and surrounding spaces are refused: partners send plain
// decimals, and "1e3" in a quantity field is far more likely a bug than a thousand units.
func ParseAmount(s string) (decimal.Decimal, error) {
	if s == "" || strings.ContainsAny(s, "eE \t\n") {
		return decimal.Decimal{}, fmt.Errorf("%w: %q is not a decimal number", ErrInvalidQuantity, s)
	}
	d, err := decimal.NewFromString(s)
	if err != nil {
		return decimal.Decimal{}, fmt.Errorf("%w: %q is not a decimal number", ErrInvalidQuantity, s)
	}
	return d, nil
}

// NormalizeUnit checks a unit code and returns it in upper case.
func NormalizeUnit(unit string) (string, error) {
	u := strings.ToUpper(unit)
	if u == "" {
		return "", fmt.Errorf("%w: empty", ErrInvalidUnit)
	}
	if len(u) > maxUnitLen {
		return "", fmt.Errorf("%w: %q is longer than %d characters", ErrInvalidUnit, unit, maxUnitLen)
	}
	for _, r := range u {
		if (r < 'A' || r > 'Z') && (r < '0' || r > '9') {
			return "", fmt.Errorf("%w: %q has characters other than letters and digits", ErrInvalidUnit, unit)
		}
	}
	return u, nil
}

// IsPositive reports whether the amount is greater than zero.
func (q Quantity) IsPositive() bool { return q.Amount.IsPositive() }

// Equal reports whether q and o are the same amount of the same unit. Amounts compare by value, so
// 12 EA equals 12.00 EA.
func (q Quantity) Equal(o Quantity) bool { return q.Unit == o.Unit && q.Amount.Equal(o.Amount) }

// AmountString is the amount as the canonical decimal string events carry: no exponent, no trailing
// zeros ("12.50" becomes "12.5").
func (q Quantity) AmountString() string { return q.Amount.String() }

// String formats q as "12.5 EA".
func (q Quantity) String() string { return q.Amount.String() + " " + q.Unit }
