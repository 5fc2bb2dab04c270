// Package archcheck holds the test that keeps docs/ARCHITECTURE.md true:
// the dependency list there must name exactly each core package's imports
// within the module. It has no code of its own.
package archcheck
