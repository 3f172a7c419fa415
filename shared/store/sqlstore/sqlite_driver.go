//go:build !nosqlite

package sqlstore

import _ "modernc.org/sqlite" // registers the "sqlite" driver

// sqliteBuilt reports whether the SQLite driver is in the binary. Deployed function binaries
// are built with the tag nosqlite: they share PostgreSQL, and SQLite would double their size.
const sqliteBuilt = true
