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
//
// # The hostile mix
//
//	go run ./server/loadtest -mix [-mix-duration 20s] [-held 32] [-quiet 10s] [-rate 200] [-url URL -pid PID]
//
// -mix sends, all at once and for -mix-duration, requests meant to make the
// server work or hold memory, each kind from its own connections back to
// back and at most 400 of each: JIT runs of the largest program allowed and
// of 400 000 slots, /api/jit listings of the largest program allowed and of
// 1 MiB of text, 7.7 MB of junk assembly, and -held uploads that declare
// 8 MiB, send 1 MiB and wait. Meanwhile small runs go at -rate per second
// and /api/health is asked every 100 ms. It prints, per kind, the answers
// and how long after the body arrived each came (after the headers, when
// the answer came before the body was all sent); the small runs' latency
// before and during the mix; the health probes that failed; and the
// server's resident set before, at its peak (VmHWM), and -quiet after the
// mix.
//
// Without -url the server is this program started again as a child
// process (-serve), configured as the server command configures it
// (api.TuneRuntime, api.HTTPServer, default limits, memory release when
// idle), so that its memory is measured apart from the client's. With -url
// (loopback only), -pid names the server's process for its memory.
package main
