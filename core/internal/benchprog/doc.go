// Package benchprog holds the programs the interpreter's and the JIT's
// benchmarks run, as data, so that both engines are measured on exactly
// the same code and their rates compare directly, and CPUTime, the cost
// the benchmarks report.
package benchprog
