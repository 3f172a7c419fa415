package sqlstore

import (
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect is what differs between SQLite and PostgreSQL. Queries are written once, with
// PostgreSQL's $n parameters (modernc's SQLite binds $n by position too) and these tokens:
//
//	IN LIST($n)     "is one of the strings of the JSON array passed as parameter $n"
//	IN INTLIST($n)  the same for a JSON array of integers
//	GREATEST(    the larger of its arguments
//	FOR_UPDATE   lock the selected rows until the transaction ends (SQLite has one writer)
//	SKIP_LOCKED  FOR UPDATE SKIP LOCKED
type dialect struct {
	name       string
	list       string // replacement of IN LIST($n); ${1} is the parameter
	intList    string // replacement of IN INTLIST($n)
	greatest   string
	forUpdate  string
	skipLocked string
	retryable  func(error) bool
}

var (
	listToken    = regexp.MustCompile(`\bIN LIST\((\$\d+)\)`)
	intListToken = regexp.MustCompile(`\bIN INTLIST\((\$\d+)\)`)
)

func (d dialect) rewrite(q string) string {
	q = intListToken.ReplaceAllString(q, d.intList)
	q = listToken.ReplaceAllString(q, d.list)
	q = strings.ReplaceAll(q, "GREATEST(", d.greatest)
	q = strings.ReplaceAll(q, "SKIP_LOCKED", d.skipLocked)
	return strings.ReplaceAll(q, "FOR_UPDATE", d.forUpdate)
}

func sqliteDialect() dialect {
	return dialect{
		name:       "sqlite",
		list:       "IN (SELECT value FROM json_each(${1}))",
		intList:    "IN (SELECT value FROM json_each(${1}))",
		greatest:   "MAX(",
		forUpdate:  "",
		skipLocked: "",
		retryable:  func(error) bool { return false },
	}
}

func postgresDialect() dialect {
	return dialect{
		name: "postgres",
		// = ANY of an array: an index lookup per element. IN (subquery) would be planned as a
		// hash join over a scan of the whole table.
		list:       "= ANY(ARRAY(SELECT jsonb_array_elements_text(${1}::jsonb)))",
		intList:    "= ANY(ARRAY(SELECT jsonb_array_elements_text(${1}::jsonb)::bigint))",
		greatest:   "GREATEST(",
		forUpdate:  "FOR UPDATE",
		skipLocked: "FOR UPDATE SKIP LOCKED",
		retryable: func(err error) bool {
			var pg *pgconn.PgError
			// serialization_failure and deadlock_detected: the transaction can run again.
			return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
		},
	}
}
