//go:build nosqlite

package sqlstore

const sqliteBuilt = false
