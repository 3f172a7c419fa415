package sqlstore

import (
	"database/sql"
	"errors"
	"regexp"
	"strings"

	"github.com/jackc/pgx/v5/pgconn"
)

// dialect is what differs between SQLite and PostgreSQL. Queries are written once, with
// PostgreSQL's $n parameters (modernc's SQLite binds $n by position too) and these tokens:
//
//	LIST($n)     the elements of a JSON array of strings passed as parameter $n, as a subquery
//	GREATEST(    the larger of its arguments
//	FOR_UPDATE   lock the selected rows until the transaction ends (SQLite has one writer)
//	SKIP_LOCKED  FOR UPDATE SKIP LOCKED
type dialect struct {
	name        string
	list        string // replacement of LIST($n); ${1} is the parameter
	greatest    string
	forUpdate   string
	skipLocked  string
	readOptions *sql.TxOptions
	retryable   func(error) bool
	prepare     bool // prepare each query once (pgx caches statements itself)
}

var listToken = regexp.MustCompile(`LIST\((\$\d+)\)`)

func (d dialect) rewrite(q string) string {
	q = listToken.ReplaceAllString(q, d.list)
	q = strings.ReplaceAll(q, "GREATEST(", d.greatest)
	q = strings.ReplaceAll(q, "SKIP_LOCKED", d.skipLocked)
	return strings.ReplaceAll(q, "FOR_UPDATE", d.forUpdate)
}

func sqliteDialect() dialect {
	return dialect{
		name:       "sqlite",
		list:       "(SELECT value FROM json_each(${1}))",
		greatest:   "MAX(",
		forUpdate:  "",
		skipLocked: "",
		retryable:  func(error) bool { return false },
		prepare:    true,
	}
}

func postgresDialect() dialect {
	return dialect{
		name:        "postgres",
		list:        "(SELECT jsonb_array_elements_text(${1}::jsonb))",
		greatest:    "GREATEST(",
		forUpdate:   "FOR UPDATE",
		skipLocked:  "FOR UPDATE SKIP LOCKED",
		readOptions: &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true},
		retryable: func(err error) bool {
			var pg *pgconn.PgError
			// serialization_failure and deadlock_detected: the transaction can run again.
			return errors.As(err, &pg) && (pg.Code == "40001" || pg.Code == "40P01")
		},
	}
}
