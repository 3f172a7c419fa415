// Package e2e holds end-to-end tests of shared packages through every REST operation mounted on
// the local server: the REST gateway's checks (shared/rest), request decoding (shared/jsonbody)
// and the official-account rules (shared/official), with their fuzz targets. They live here so
// that nothing under shared/ imports functions/ or the local server. It has no code of its own.
//
// Internal to this module: not a supported API for other modules.
package e2e
