// rbpf v0.2.8 JIT timing harness: bench FILE.bin [runs] [input_len]
use solana_rbpf::{user_error::UserError, vm::{Config, EbpfVm, Executable, InstructionMeter}};
use std::time::Instant;

struct Meter { remaining: u64 }
impl InstructionMeter for Meter {
    fn consume(&mut self, amount: u64) { self.remaining = self.remaining.saturating_sub(amount); }
    fn get_remaining(&self) -> u64 { self.remaining }
}

fn cpu_ns() -> u64 {
    unsafe {
        let mut ru: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_SELF, &mut ru);
        (ru.ru_utime.tv_sec as u64 * 1_000_000 + ru.ru_utime.tv_usec as u64
            + ru.ru_stime.tv_sec as u64 * 1_000_000 + ru.ru_stime.tv_usec as u64) * 1000
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let prog = std::fs::read(&args[1]).unwrap();
    let runs: usize = args.get(2).map(|s| s.parse().unwrap()).unwrap_or(1);
    let input_len: usize = args.get(3).map(|s| s.parse().unwrap()).unwrap_or(0);
    let mut exe = <dyn Executable<UserError, Meter>>::from_text_bytes(&prog, None, Config::default()).unwrap();
    exe.jit_compile().unwrap();
    let mut mem = vec![0u8; input_len];
    let mut vm = EbpfVm::new(exe.as_ref(), &mut mem, &[]).unwrap();
    let mut total = 0u64;
    let c0 = cpu_ns();
    let t0 = Instant::now();
    let mut r0 = 0;
    for _ in 0..runs {
        r0 = vm.execute_program_jit(&mut Meter { remaining: 1u64 << 40 }).unwrap();
        total += vm.get_total_instruction_count();
    }
    let wall = t0.elapsed().as_secs_f64();
    let cpu = (cpu_ns() - c0) as f64 / 1e9;
    println!("rbpf insns={} r0={} wall={:.4} cpu={:.4} cpu_per_G={:.4}", total, r0, wall, cpu, cpu * 1e9 / total as f64);
}
