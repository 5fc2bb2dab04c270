// Command loadtest measures the API's throughput and latency on loopback:
// requests per second and p50/p90/p99/max latency of POST /api/run for a
// small program, on the interpreter and on the JIT.
//
//	go run ./server/loadtest [-url http://127.0.0.1:8080] [-rate 200] [-n 4000] [-duration 20s] [-c 4] [-repeat 1]
//
// -repeat sets the request's repeat (runs of the program per request), to
// measure what a benchmarking request costs beside a plain one.
//
// Without -url it starts the server's handler in this process on
// 127.0.0.1:0, so client and server share the machine's cores, as they
// would on a small host. -url must name a loopback address: this is not a
// tool for loading other people's servers.
//
// Each engine gets two phases, each bounded by -n requests and -duration:
//
//   - paced: requests are sent at -rate per second on a fixed schedule
//     (open loop: a slow answer does not delay the next request, so the
//     latency includes queueing, without coordinated omission);
//   - flat out: -c clients send back to back, which gives the highest rate
//     the server sustains.
//
// The process's CPU time per request (client and in-process server
// together) is printed beside the latencies: unlike them it does not depend
// on what else the machine is running, so 2 cores / (CPU per request) is
// the rate a dedicated 2-core machine could sustain.
//
// Heap in use (after a GC) and the resident set are sampled before and after
// each phase to show whether memory stays flat. The numbers are printed,
// not judged: a load test is a measurement, not a pass/fail test.
package main
