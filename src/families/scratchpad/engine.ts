// Discrete-event engine of the scratchpad family.
//
// Hardware threads run kernel-specific state machines. Each step of a thread is
//   (1) an instruction phase on the thread's pipeline: an MTP issues one instruction per cycle
//       (issue_width) from its ready threads in turn, i.e. a processor-sharing server; an STP
//       serves its single thread at stp_issue_rate;
//   (2) a memory phase: the step's operations enter the queues of the resources they use — the
//       core's cache, DRAM channels, scratchpad banks, atomic units, the DMA engine — and the
//       thread waits for the last one (in-order threads; posted stores and posted atomic adds do
//       not hold the thread but do occupy their resources).
// Steps whose per-element instructions and round trips alternate (hash probing, mask tests, heap
// merges, thread-issued gathers) are "interleaved": their memory operations enter the queues when
// the step starts and the step ends at max(contended issue, own issue + chain + queueing) — what
// fine-grained multithreading achieves. (Serialising them would idle an MTP whenever its threads
// happened to wait at the same time.)
// Every memory resource is a FCFS server with a `free at` time. Events are processed in time
// order, so requests reach each server in arrival order and `start = max(arrival, freeAt)` is an
// exact FCFS queue. Latency hiding, contention, imbalance and barrier idling are outputs of the
// simulation: a thread's memory wait overlaps other threads' issue, queues build up where demand
// exceeds a resource's rate, a core with more work finishes later.
//
// Batching (what makes large matrices affordable):
//   - Exact: the requests a step sends to one server (one fibre's sectors on a DRAM channel, one
//     fibre's probes on the atomic unit and banks) are reserved as one batch, as if they arrive
//     together — a DMA command or a burst of posted operations issues them back to back. A
//     work-conserving FCFS server's busy periods and drain time depend only on arrival times and
//     service demands, not on how requests are grouped, so busy times, bandwidth bounds and the
//     finish of every saturated phase equal those of one event per request.
//   - Exact: cache state, hash-table state and the slots/banks a probe touches are updated in event
//     order with the real addresses and keys, so hit rates, probe counts and bank histograms are
//     those of the simulated interleaving (only the order inside one fibre is fixed: program order,
//     as an in-order thread issues it).
//   - Approximation: requests of other threads that arrive while a batch is being served would be
//     interleaved with it by the hardware; here they wait behind the whole batch. That moves
//     latency between threads by at most one batch's service time and leaves throughput unchanged.

import type { ScratchpadConfig } from './config.js';
import { threadsPerCore } from './config.js';

/** Returned by Kernel.plan when the thread has no step to run now (barrier or out of work). */
export const PARK = -1;

export interface Kernel {
  /** The thread is ready at `now`: decide its next step, return its instruction count or PARK. */
  plan(tid: number, now: number): number;
  /** The step's instructions issued by `t`: issue its memory operations, return their completion. */
  execute(tid: number, t: number): number;
}

export interface TensorCounters {
  /** Bytes the threads asked to read (cache hits included). */
  requested: number;
  dramRead: number;
  dramWrite: number;
  dramUsefulRead: number;
  dramUsefulWrite: number;
  cacheRead: number;
  spadRead: number;
  spadWrite: number;
}

export class Engine {
  readonly cores: number;
  readonly threadsPerCore: number;
  readonly threads: number;
  readonly threadCore: Int32Array;
  readonly threadPipe: Int32Array;
  readonly pipeRate: Float64Array;
  /**
   * Order in which threads that become ready at the same cycle get to issue: the pipelines of a
   * core issue in parallel, so the first thread of every pipeline goes before the second of any.
   */
  readonly issueRank: Int32Array;

  // Timing constants in cycles.
  readonly dramLatency: number;
  readonly chanService: number;
  readonly granularity: number;
  readonly interleave: number;
  readonly channels: number;
  readonly lineBytes: number;
  readonly wordsPerSector: number;
  readonly cacheLatency: number;
  readonly spadLatency: number;
  readonly banks: number;
  readonly atomicService: number;
  readonly atomicLatency: number;
  readonly dmaBytesPerCycle: number;
  readonly hopLatency: number;
  readonly meshWidth: number;
  readonly mlp: number;
  /** Fibres and gathers go through the per-core DMA engine (PIUMA) rather than thread loads. */
  readonly dmaGatherEnabled: boolean;

  // Resources.
  readonly pipeBusy: Float64Array;
  private readonly chanFree: Float64Array;
  readonly chanBusy: Float64Array;
  private readonly bankFree: Float64Array;
  readonly bankBusy: Float64Array;
  private readonly atomFree: Float64Array;
  readonly atomBusy: Float64Array;
  private readonly dmaFree: Float64Array;
  readonly dmaBusy: Float64Array;

  // Cache (per core, set-associative LRU, sectored; use tracked in 4-byte words).
  private readonly sets: number;
  private readonly ways: number;
  /**
   * Cache state, one block of 32 · ways bytes per set so that a lookup touches few host cache
   * lines: ways tags (Float64, -1 = empty), ways LRU stamps (Float64), then per way
   * [fetched, used, tensor, unused] (Int32, through cacheInfo, a view of the same buffer).
   */
  private readonly cacheMeta: Float64Array;
  private readonly cacheInfo: Int32Array;
  private lruClock = 0;
  /** Lines per DRAM interleave unit when lines tile it exactly (else 0). */
  private readonly linesPerUnit: number;
  /** sectorsOf for every request mask of a line of at most 16 words. */
  private readonly sectorTable: Int32Array | undefined;

  // Per-step scratch.
  private readonly chanAcc: Float64Array;
  private readonly chanTouched: Int32Array;
  private chanTouchedCount = 0;
  /** Scratchpad bank histogram of the next spad/atomic batch (kernels add to it). */
  readonly bankAcc: Float64Array;
  /** Addresses of the next gather (kernels fill it and pass the count). */
  gatherAddr: Float64Array;
  /** Unloaded duration of the memory phase of the current step (for the latency bound). */
  private stepMin = 0;

  // Event queue: at most one pending event per thread and per pipeline.
  private readonly heapTime: Float64Array;
  private readonly heapId: Int32Array;
  private readonly heapPos: Int32Array;
  private heapSize = 0;
  // Processor-sharing pipelines.
  private readonly pipeActive: Int32Array;
  private readonly pipeVirtual: Float64Array;
  private readonly pipeClock: Float64Array;
  private readonly pipeFirstThread: Int32Array;
  private readonly pipeThreadCount: Int32Array;
  /** Cached nextFinisher of each pipeline (-1 when idle): the active thread with the smallest
   * jobFinish, lowest tid among equals. */
  private readonly pipeBest: Int32Array;
  private readonly jobFinish: Float64Array;
  private readonly jobActive: Uint8Array;
  private readonly stepStart: Float64Array;
  private readonly stepInstrTime: Float64Array;
  private readonly parkedAt: Float64Array;
  private readonly interleaved: Uint8Array;
  private readonly memoryDone: Float64Array;
  private readonly stepMemMin: Float64Array;
  /**
   * Set by Kernel.plan for a step whose per-element instructions and memory round trips
   * alternate (hash probes, mask tests, heap merges, thread-issued gathers): the step's memory
   * operations are issued when the step starts and overlap its instruction issue.
   */
  interleaveNext = false;

  // Counters.
  readonly tensorNames: string[] = [];
  readonly tensors: TensorCounters[] = [];
  private nextAddress = 0;
  readonly coreInstructions: Float64Array;
  readonly threadBusy: Float64Array;
  readonly threadCritical: Float64Array;
  idleCycles = 0;
  /** The part of idleCycles spent at barriers that were later released (not end-of-work idle). */
  barrierIdleCycles = 0;
  dramAccesses = 0;
  dramQueueWait = 0;
  cacheLookups = 0;
  cacheHits = 0;
  spadAccesses = 0;
  atomicOps = 0;
  remoteAtomicOps = 0;
  events = 0;
  now = 0;
  private finish = 0;
  private readonly writeStreamLast: Map<number, number> = new Map();

  constructor(config: ScratchpadConfig) {
    this.cores = config.cores;
    this.threadsPerCore = threadsPerCore(config);
    this.threads = this.cores * this.threadsPerCore;
    const pipesPerCore = config.mtpPerCore + config.stpPerCore;
    this.threadCore = new Int32Array(this.threads);
    this.threadPipe = new Int32Array(this.threads);
    this.issueRank = new Int32Array(this.threads);
    this.pipeRate = new Float64Array(this.cores * pipesPerCore);
    for (let c = 0; c < this.cores; c++) {
      for (let p = 0; p < pipesPerCore; p++) {
        this.pipeRate[c * pipesPerCore + p] = p < config.mtpPerCore ? config.issueWidth : config.stpIssueRate;
      }
      for (let local = 0; local < this.threadsPerCore; local++) {
        const tid = c * this.threadsPerCore + local;
        const mtpThreads = config.mtpPerCore * config.threadsPerMtp;
        const pipe = local < mtpThreads ? Math.floor(local / config.threadsPerMtp) : config.mtpPerCore + (local - mtpThreads);
        this.threadCore[tid] = c;
        this.threadPipe[tid] = c * pipesPerCore + pipe;
        const slot = local < mtpThreads ? local % config.threadsPerMtp : 0;
        this.issueRank[tid] = (slot * pipesPerCore + pipe) * this.cores + c;
      }
    }
    const bytesPerCycle = config.dram.bandwidthBytesPerSecond / config.clockHz;
    this.channels = config.dram.channels;
    this.granularity = config.dram.accessGranularityBytes;
    this.chanService = this.granularity / (bytesPerCycle / this.channels);
    this.dramLatency = config.dram.latencySeconds * config.clockHz;
    this.interleave = config.dram.interleaveBytes;
    this.lineBytes = config.cache.lineBytes;
    this.linesPerUnit = this.interleave % this.lineBytes === 0 && this.interleave >= this.lineBytes ? this.interleave / this.lineBytes : 0;
    this.wordsPerSector = this.granularity / 4;
    this.cacheLatency = config.cache.latencyCycles;
    this.spadLatency = config.scratchpad.latencyCycles;
    this.banks = config.scratchpad.banks;
    this.atomicService = 1 / config.atomics.opsPerCycle;
    this.atomicLatency = config.atomics.latencyCycles;
    this.dmaBytesPerCycle = config.dma.bytesPerCycle;
    this.hopLatency = config.network.hopLatencyCycles;
    this.meshWidth = config.network.meshWidth;
    this.mlp = config.mlp;
    this.dmaGatherEnabled = config.dma.gather;

    this.pipeBusy = new Float64Array(this.pipeRate.length);
    this.chanFree = new Float64Array(this.channels);
    this.chanBusy = new Float64Array(this.channels);
    this.bankFree = new Float64Array(this.cores * this.banks);
    this.bankBusy = new Float64Array(this.cores * this.banks);
    this.atomFree = new Float64Array(this.cores);
    this.atomBusy = new Float64Array(this.cores);
    this.dmaFree = new Float64Array(this.cores);
    this.dmaBusy = new Float64Array(this.cores);

    this.ways = config.cache.ways;
    this.sets = Math.max(1, Math.floor(config.cache.capacityBytes / (this.lineBytes * this.ways)));
    const totalSets = this.cores * this.sets;
    this.cacheMeta = new Float64Array(totalSets * 4 * this.ways);
    this.cacheInfo = new Int32Array(this.cacheMeta.buffer);
    for (let set = 0; set < totalSets; set++) this.cacheMeta.fill(-1, set * 4 * this.ways, set * 4 * this.ways + this.ways);

    this.chanAcc = new Float64Array(this.channels);
    this.chanTouched = new Int32Array(this.channels);
    this.bankAcc = new Float64Array(this.banks);
    this.gatherAddr = new Float64Array(1024);
    const wordsPerLine = this.lineBytes / 4;
    if (Number.isInteger(wordsPerLine) && wordsPerLine >= 1 && wordsPerLine <= 16) {
      const table = new Int32Array(1 << wordsPerLine);
      for (let r = 0; r < table.length; r++) table[r] = this.sectorsOfSlow(r);
      this.sectorTable = table;
    }

    const ids = this.threads + this.pipeRate.length;
    this.heapTime = new Float64Array(ids);
    this.heapId = new Int32Array(ids);
    this.heapPos = new Int32Array(ids).fill(-1);
    this.pipeActive = new Int32Array(this.pipeRate.length);
    this.pipeVirtual = new Float64Array(this.pipeRate.length);
    this.pipeClock = new Float64Array(this.pipeRate.length);
    this.pipeFirstThread = new Int32Array(this.pipeRate.length).fill(-1);
    this.pipeThreadCount = new Int32Array(this.pipeRate.length);
    this.pipeBest = new Int32Array(this.pipeRate.length).fill(-1);
    for (let tid = 0; tid < this.threads; tid++) {
      const pipe = this.threadPipe[tid];
      if (this.pipeFirstThread[pipe] < 0) this.pipeFirstThread[pipe] = tid;
      this.pipeThreadCount[pipe]++;
    }
    this.jobFinish = new Float64Array(this.threads);
    this.jobActive = new Uint8Array(this.threads);
    this.stepStart = new Float64Array(this.threads);
    this.stepInstrTime = new Float64Array(this.threads);
    this.parkedAt = new Float64Array(this.threads).fill(-1);
    this.interleaved = new Uint8Array(this.threads);
    this.memoryDone = new Float64Array(this.threads);
    this.stepMemMin = new Float64Array(this.threads);
    this.coreInstructions = new Float64Array(this.cores);
    this.threadBusy = new Float64Array(this.threads);
    this.threadCritical = new Float64Array(this.threads);
  }

  // --- address space ---------------------------------------------------------------------------

  /** Registers a tensor (DRAM-resident or scratchpad-resident) and returns its id. */
  tensor(name: string): number {
    const found = this.tensorNames.indexOf(name);
    if (found >= 0) return found;
    this.tensorNames.push(name);
    this.tensors.push({ requested: 0, dramRead: 0, dramWrite: 0, dramUsefulRead: 0, dramUsefulWrite: 0, cacheRead: 0, spadRead: 0, spadWrite: 0 });
    return this.tensorNames.length - 1;
  }

  /** Allocates a DRAM region (4 KiB aligned) and returns its base address. */
  allocate(bytes: number): number {
    const base = this.nextAddress;
    this.nextAddress = base + Math.ceil(Math.max(bytes, 1) / 4096) * 4096 + 4096;
    return base;
  }

  ensureGatherCapacity(count: number): void {
    if (this.gatherAddr.length < count) this.gatherAddr = new Float64Array(Math.max(count, 2 * this.gatherAddr.length));
  }

  // --- event loop ----------------------------------------------------------------------------

  run(kernel: Kernel): void {
    for (const tid of this.byIssueRank(Array.from({ length: this.threads }, (_, i) => i))) this.schedule(tid, 0);
    const threads = this.threads;
    while (this.heapSize > 0) {
      const id = this.heapId[0];
      const t = this.heapTime[0];
      this.popMin();
      this.now = t;
      this.events++;
      if (id >= threads) {
        // A pipeline finished issuing one thread's instructions: its memory phase starts now.
        const tid = this.depart(id - threads, t);
        if (this.interleaved[tid] === 1) this.finishInterleaved(tid, t);
        else this.executeStep(kernel, tid, t);
        continue;
      }
      const tid = id;
      // Tentatively parked: if the kernel wakes this very thread during plan (it released a
      // barrier), wake() counts the wait from now.
      this.parkedAt[tid] = t;
      const instructions = kernel.plan(tid, t);
      if (instructions < 0) {
        if (t > this.finish) this.finish = t;
        continue;
      }
      this.parkedAt[tid] = -1;
      const pipe = this.threadPipe[tid];
      this.stepStart[tid] = t;
      this.stepInstrTime[tid] = instructions / this.pipeRate[pipe];
      if (this.interleaveNext) {
        // Per-element instructions and memory round trips alternate inside this step: issue the
        // memory operations now (arrival order = event order) and finish the step when both the
        // instructions have issued and the chain has completed (see finishInterleaved).
        this.interleaveNext = false;
        this.interleaved[tid] = 1;
        this.stepMin = 0;
        this.memoryDone[tid] = Math.max(t, kernel.execute(tid, t));
        this.stepMemMin[tid] = this.stepMin;
        if (instructions === 0) {
          this.finishInterleaved(tid, t);
          continue;
        }
      }
      if (instructions === 0) {
        this.executeStep(kernel, tid, t);
        continue;
      }
      this.coreInstructions[this.threadCore[tid]] += instructions;
      this.arrive(pipe, tid, t, instructions);
    }
    // Threads still parked at the end were out of work until the last activity.
    const end = this.makespan();
    for (let tid = 0; tid < this.threads; tid++) {
      if (this.parkedAt[tid] >= 0) {
        this.idleCycles += end - this.parkedAt[tid];
        this.parkedAt[tid] = -1;
      }
    }
  }

  /** Threads sorted so that simultaneous wake-ups reach their pipelines in issue order. */
  byIssueRank(tids: number[]): number[] {
    return tids.sort((a, b) => this.issueRank[a] - this.issueRank[b]);
  }

  /** Resumes a parked thread at time t (>= the current time). */
  wake(tid: number, t: number): void {
    if (this.parkedAt[tid] >= 0) {
      this.idleCycles += t - this.parkedAt[tid];
      this.barrierIdleCycles += t - this.parkedAt[tid];
      this.parkedAt[tid] = -1;
    }
    this.schedule(tid, t);
  }

  makespan(): number {
    let end = this.finish;
    for (let c = 0; c < this.channels; c++) end = Math.max(end, this.chanFree[c]);
    for (let c = 0; c < this.cores; c++) end = Math.max(end, this.atomFree[c], this.dmaFree[c]);
    for (let b = 0; b < this.bankFree.length; b++) end = Math.max(end, this.bankFree[b]);
    return end;
  }

  // --- pipelines: processor sharing -------------------------------------------------------
  // An MTP issues one instruction per cycle (issue_width) from its ready threads in turn, so k
  // threads with instructions to issue each progress at width/k: a processor-sharing server.
  // Virtual time V counts instructions issued per active thread; a thread arriving with w
  // instructions finishes when V reaches V_arrival + w. Only the next finish of each pipeline is
  // an event, so a step costs two events however long its instruction phase is.

  private advance(pipe: number, t: number): void {
    const n = this.pipeActive[pipe];
    const elapsed = t - this.pipeClock[pipe];
    if (n > 0 && elapsed > 0) {
      this.pipeVirtual[pipe] += (elapsed * this.pipeRate[pipe]) / n;
      this.pipeBusy[pipe] += elapsed;
    }
    this.pipeClock[pipe] = t;
  }

  private arrive(pipe: number, tid: number, t: number, instructions: number): void {
    this.advance(pipe, t);
    const finish = this.pipeVirtual[pipe] + instructions;
    this.jobFinish[tid] = finish;
    this.jobActive[tid] = 1;
    this.pipeActive[pipe]++;
    // Same choice as a full nextFinisher scan: smallest finish, lowest tid among equals.
    const best = this.pipeBest[pipe];
    if (best < 0 || finish < this.jobFinish[best] || (finish === this.jobFinish[best] && tid < best)) this.pipeBest[pipe] = tid;
    this.reschedulePipe(pipe);
  }

  /** Removes the pipeline's next finishing thread at t and returns it. */
  private depart(pipe: number, t: number): number {
    this.advance(pipe, t);
    const tid = this.pipeBest[pipe];
    this.jobActive[tid] = 0;
    this.pipeActive[pipe]--;
    this.pipeBest[pipe] = this.pipeActive[pipe] > 0 ? this.nextFinisher(pipe) : -1;
    this.reschedulePipe(pipe);
    return tid;
  }

  private nextFinisher(pipe: number): number {
    const first = this.pipeFirstThread[pipe];
    const last = first + this.pipeThreadCount[pipe];
    let best = -1;
    let bestFinish = Infinity;
    for (let tid = first; tid < last; tid++) {
      if (this.jobActive[tid] === 1 && this.jobFinish[tid] < bestFinish) {
        best = tid;
        bestFinish = this.jobFinish[tid];
      }
    }
    return best;
  }

  private reschedulePipe(pipe: number): void {
    const n = this.pipeActive[pipe];
    const id = this.threads + pipe;
    if (n === 0) {
      this.removeFromHeap(id);
      return;
    }
    const tid = this.pipeBest[pipe];
    const remaining = Math.max(0, this.jobFinish[tid] - this.pipeVirtual[pipe]);
    this.setKey(id, this.pipeClock[pipe] + (remaining * n) / this.pipeRate[pipe]);
  }

  /**
   * Ends an interleaved step whose instructions finished issuing at t: alone, a thread needs
   * instructions + chain (each element waits for its round trip); sharing a pipeline, the
   * round trips hide under the other threads' issue slots, so the step takes
   * max(contended issue, chain + own issue time) — plus any queueing the memory operations met.
   */
  private finishInterleaved(tid: number, t: number): void {
    this.interleaved[tid] = 0;
    const done = Math.max(t, this.memoryDone[tid] + this.stepInstrTime[tid]);
    this.threadBusy[tid] += done - this.stepStart[tid];
    this.threadCritical[tid] += this.stepInstrTime[tid] + this.stepMemMin[tid];
    if (done > this.finish) this.finish = done;
    this.schedule(tid, done);
  }

  private executeStep(kernel: Kernel, tid: number, t: number): void {
    this.stepMin = 0;
    const done = Math.max(t, kernel.execute(tid, t));
    this.threadBusy[tid] += done - this.stepStart[tid];
    this.threadCritical[tid] += this.stepInstrTime[tid] + this.stepMin;
    if (done > this.finish) this.finish = done;
    this.schedule(tid, done);
  }

  // --- event queue: an indexed 4-ary min-heap (ids: threads, then pipelines) ----------------
  // Ties are broken by the heap's own deterministic order: any order of simultaneous arrivals is
  // a valid FCFS order, and the same inputs always give the same sequence of heap operations.

  private schedule(tid: number, time: number): void {
    this.setKey(tid, time);
  }

  private setKey(id: number, time: number): void {
    const at = this.heapPos[id];
    if (at < 0) {
      const i = this.heapSize++;
      this.heapTime[i] = time;
      this.heapId[i] = id;
      this.heapPos[id] = i;
      this.siftUp(i);
      return;
    }
    const old = this.heapTime[at];
    this.heapTime[at] = time;
    if (time < old) this.siftUp(at);
    else if (time > old) this.siftDown(at);
  }

  private removeFromHeap(id: number): void {
    const at = this.heapPos[id];
    if (at < 0) return;
    this.heapPos[id] = -1;
    const last = --this.heapSize;
    if (at === last) return;
    const time = this.heapTime[last];
    const moved = this.heapId[last];
    const old = this.heapTime[at];
    this.heapTime[at] = time;
    this.heapId[at] = moved;
    this.heapPos[moved] = at;
    if (time < old) this.siftUp(at);
    else this.siftDown(at);
  }

  private popMin(): void {
    this.removeFromHeap(this.heapId[0]);
  }

  private siftUp(start: number): void {
    const times = this.heapTime;
    const ids = this.heapId;
    const pos = this.heapPos;
    const time = times[start];
    const id = ids[start];
    let i = start;
    while (i > 0) {
      const parent = (i - 1) >> 2;
      const pt = times[parent];
      if (pt <= time) break;
      times[i] = pt;
      ids[i] = ids[parent];
      pos[ids[i]] = i;
      i = parent;
    }
    times[i] = time;
    ids[i] = id;
    pos[id] = i;
  }

  private siftDown(start: number): void {
    const times = this.heapTime;
    const ids = this.heapId;
    const pos = this.heapPos;
    const n = this.heapSize;
    const time = times[start];
    const id = ids[start];
    let i = start;
    for (;;) {
      const first = 4 * i + 1;
      if (first >= n) break;
      let best = first;
      let bt = times[first];
      const last = first + 4 < n ? first + 4 : n;
      for (let c = first + 1; c < last; c++) {
        const ct = times[c];
        if (ct < bt) {
          best = c;
          bt = ct;
        }
      }
      if (bt >= time) break;
      times[i] = bt;
      ids[i] = ids[best];
      pos[ids[i]] = i;
      i = best;
    }
    times[i] = time;
    ids[i] = id;
    pos[id] = i;
  }

  // --- memory operations (called from Kernel.execute at time t) ------------------------------

  /**
   * Reads [addr, addr + bytes) of `tensor` for `core`. `cached`: through the core's cache
   * (sectored lines; only missing sectors go to DRAM); otherwise a streaming read that bypasses
   * it. `dma`: moved by the core's DMA engine (one command, one round trip). Returns completion.
   */
  readRange(core: number, tensor: number, addr: number, bytes: number, t: number, cached: boolean, dma: boolean): number {
    if (bytes <= 0) return t;
    const counters = this.tensors[tensor];
    counters.requested += bytes;
    let misses = 0;
    let hits = 0;
    if (cached) {
      counters.cacheRead += bytes;
      const line = this.lineBytes;
      const end = addr + bytes;
      let a = addr;
      while (a < end) {
        const lineAddress = Math.floor(a / line);
        const lineStart = lineAddress * line;
        const e = Math.min(end, lineStart + line);
        const missWords = this.lookup(core, tensor, lineAddress, (a - lineStart) >> 2, (e - 1 - lineStart) >> 2);
        if (missWords !== 0) {
          const sectors = popcount(missWords) / this.wordsPerSector;
          this.addChannel(this.lineChannel(lineAddress), sectors);
          counters.dramRead += sectors * this.granularity;
          misses += sectors;
        } else {
          hits++;
        }
        a = e;
      }
    } else {
      const g = this.granularity;
      const s0 = Math.floor(addr / g);
      const s1 = Math.floor((addr + bytes - 1) / g);
      const sectors = s1 - s0 + 1;
      this.addChannelRange(s0 * g, sectors);
      counters.dramRead += sectors * g;
      counters.dramUsefulRead += bytes;
      misses = sectors;
    }
    let done = t;
    let unloaded = 0;
    if (misses > 0) {
      done = this.reserveChannels(t);
      unloaded = this.dramLatency + this.chanService;
    }
    if (hits > 0) {
      done = Math.max(done, t + this.cacheLatency);
      unloaded = Math.max(unloaded, this.cacheLatency);
    }
    if (dma) {
      const transfer = bytes / this.dmaBytesPerCycle;
      const start = Math.max(t, this.dmaFree[core]);
      this.dmaFree[core] = start + transfer;
      this.dmaBusy[core] += transfer;
      done = Math.max(done, this.dmaFree[core] + this.cacheLatency);
      unloaded = Math.max(unloaded, transfer + this.cacheLatency);
    }
    if (unloaded > this.stepMin) this.stepMin = unloaded;
    return done;
  }

  /**
   * Gathers `count` elements of `elementBytes` at this.gatherAddr[0..count) through the cache.
   * With `dma` the DMA engine issues them all (one round trip); otherwise the thread does, with
   * at most `mlp` in flight.
   */
  gather(core: number, tensor: number, count: number, elementBytes: number, t: number, dma: boolean): number {
    if (count <= 0) return t;
    const counters = this.tensors[tensor];
    counters.requested += count * elementBytes;
    counters.cacheRead += count * elementBytes;
    const line = this.lineBytes;
    let misses = 0;
    let missElements = 0;
    let hits = 0;
    for (let e = 0; e < count; e++) {
      const a = this.gatherAddr[e];
      const lineAddress = Math.floor(a / line);
      const lineStart = lineAddress * line;
      const last = Math.min(a + elementBytes, lineStart + line) - 1;
      const missWords = this.lookup(core, tensor, lineAddress, (a - lineStart) >> 2, (last - lineStart) >> 2);
      if (missWords !== 0) {
        const sectors = popcount(missWords) / this.wordsPerSector;
        this.addChannel(this.channelOf(lineStart), sectors);
        counters.dramRead += sectors * this.granularity;
        misses += sectors;
        missElements++;
      } else {
        hits++;
      }
    }
    let done = t;
    if (misses > 0) done = this.reserveChannels(t);
    let unloaded: number;
    if (dma) {
      unloaded = missElements > 0 ? this.dramLatency + this.chanService : this.cacheLatency;
      const transfer = (count * elementBytes) / this.dmaBytesPerCycle;
      const start = Math.max(t, this.dmaFree[core]);
      this.dmaFree[core] = start + transfer;
      this.dmaBusy[core] += transfer;
      done = Math.max(done, t + unloaded, this.dmaFree[core] + this.cacheLatency);
      unloaded = Math.max(unloaded, transfer + this.cacheLatency);
    } else {
      // Dependent round trips of an in-order thread, `mlp` at a time.
      unloaded = Math.ceil(missElements / this.mlp) * (this.dramLatency + this.chanService) + Math.ceil(hits / this.mlp) * this.cacheLatency;
      done = Math.max(done, t + unloaded);
    }
    if (unloaded > this.stepMin) this.stepMin = unloaded;
    return done;
  }

  /**
   * Gathers the elements whose positions are set in `bits` within [p0, p1) of an array of
   * `elementBytes` elements at `base` (clearing the bits; `summary` has one bit per word of `bits`
   * that may be nonzero). Elements in the same line share one
   * lookup (and, for thread loads, one round trip). Otherwise as gather().
   */
  gatherBitmap(core: number, tensor: number, base: number, elementBytes: number, bits: Uint32Array, summary: Uint32Array, p0: number, p1: number, t: number, dma: boolean): number {
    if (p1 <= p0) return t;
    const line = this.lineBytes;
    // Elements never straddle lines (element sizes divide the line; arrays are line aligned).
    const perLine = Math.max(1, Math.floor(line / elementBytes));
    const baseLine = Math.floor(base / line);
    const wordsPerElement = Math.max(1, elementBytes >> 2);
    this.bitmapStats[0] = 0;
    this.bitmapStats[1] = 0;
    this.bitmapStats[2] = 0;
    this.bitmapStats[3] = 0;
    let count = 0;
    let currentLine = -1;
    let request = 0;
    const w0 = p0 >>> 5;
    const w1 = (p1 - 1) >>> 5;
    // Word-level path: 4-byte elements and lines of at most 32 elements that tile a bitmap word,
    // so every line is one contiguous run of bits of one word and its request mask is that run.
    const fast = elementBytes === 4 && perLine <= 32 && (32 % perLine) === 0 && wordsPerElement === 1;
    const chunkMask = perLine >= 32 ? -1 : (1 << perLine) - 1;
    // Visit only the nonzero words of `bits`, found through `summary` (one bit per word).
    for (let s = w0 >>> 5; s <= w1 >>> 5; s++) {
      let words = summary[s];
      while (words !== 0) {
        const lowWord = words & -words;
        words ^= lowWord;
        const w = s * 32 + (31 - Math.clz32(lowWord));
        if (w < w0 || w > w1) continue;
        let x = bits[w];
        if (w === w0) x &= ~((1 << (p0 & 31)) - 1);
        if (w === w1 && (p1 & 31) !== 0) x &= (1 << (p1 & 31)) - 1;
        bits[w] &= ~x;
        if (bits[w] === 0) summary[s] &= ~lowWord;
        if (fast) {
          if (x === 0) continue;
          count += popcount(x);
          const firstLine = baseLine + (w * 32) / perLine;
          for (let shift = 0, l = firstLine; shift < 32; shift += perLine, l++) {
            const chunk = perLine >= 32 ? x | 0 : (x >>> shift) & chunkMask;
            if (chunk === 0) continue;
            if (request !== 0) this.bitmapLine(core, tensor, currentLine, request);
            currentLine = l;
            request = chunk;
          }
          continue;
        }
        while (x !== 0) {
          const low = x & -x;
          const position = w * 32 + (31 - Math.clz32(low));
          x ^= low;
          count++;
          const lineAddress = baseLine + Math.floor(position / perLine);
          if (lineAddress !== currentLine) {
            if (request !== 0) this.bitmapLine(core, tensor, currentLine, request);
            currentLine = lineAddress;
            request = 0;
          }
          const word = ((position % perLine) * elementBytes) >> 2;
          request |= wordRange(word, word + wordsPerElement - 1);
        }
      }
    }
    if (request !== 0) this.bitmapLine(core, tensor, currentLine, request);
    const misses = this.bitmapStats[0];
    const missLines = this.bitmapStats[1];
    const hitLines = this.bitmapStats[2];
    const counters = this.tensors[tensor];
    counters.requested += count * elementBytes;
    counters.cacheRead += count * elementBytes;
    let done = t;
    if (misses > 0) done = this.reserveChannels(t);
    let unloaded: number;
    if (dma) {
      unloaded = missLines > 0 ? this.dramLatency + this.chanService : this.cacheLatency;
      const transfer = (count * elementBytes) / this.dmaBytesPerCycle;
      const start = Math.max(t, this.dmaFree[core]);
      this.dmaFree[core] = start + transfer;
      this.dmaBusy[core] += transfer;
      done = Math.max(done, t + unloaded, this.dmaFree[core] + this.cacheLatency);
      unloaded = Math.max(unloaded, transfer + this.cacheLatency);
    } else {
      unloaded = Math.ceil(missLines / this.mlp) * (this.dramLatency + this.chanService) + Math.ceil(hitLines / this.mlp) * this.cacheLatency;
      done = Math.max(done, t + unloaded);
    }
    if (unloaded > this.stepMin) this.stepMin = unloaded;
    return done;
  }

  /** [missed sectors, missed lines, hit lines, unused] of the gatherBitmap in progress. */
  private readonly bitmapStats = new Float64Array(4);

  private bitmapLine(core: number, tensor: number, lineAddress: number, request: number): void {
    const missWords = this.lookupMask(core, tensor, lineAddress, request, this.sectorsOf(request));
    if (missWords !== 0) {
      const sectors = popcount(missWords) / this.wordsPerSector;
      this.addChannel(this.lineChannel(lineAddress), sectors);
      this.tensors[tensor].dramRead += sectors * this.granularity;
      this.bitmapStats[0] += sectors;
      this.bitmapStats[1]++;
    } else {
      this.bitmapStats[2]++;
    }
  }

  /**
   * Posted store of [addr, addr + bytes) (bypasses the cache). Writes to the same `stream` combine:
   * a block already opened by the previous write of that stream is not sent again.
   */
  write(tensor: number, addr: number, bytes: number, t: number, stream = -1): void {
    if (bytes <= 0) return;
    const g = this.granularity;
    let s0 = Math.floor(addr / g);
    const s1 = Math.floor((addr + bytes - 1) / g);
    if (stream >= 0) {
      const last = this.writeStreamLast.get(stream);
      if (last === s0) s0++;
      this.writeStreamLast.set(stream, s1);
    }
    const counters = this.tensors[tensor];
    counters.dramUsefulWrite += bytes;
    if (s1 < s0) return;
    const sectors = s1 - s0 + 1;
    counters.dramWrite += sectors * g;
    this.addChannelRange(s0 * g, sectors);
    this.reserveChannels(t);
  }

  /**
   * Scratchpad accesses of `core` (bank histogram in this.bankAcc, cleared here) issued by a thread
   * on `fromCore`, `chain` of them dependent (round trips in sequence, mlp at a time).
   */
  spad(core: number, fromCore: number, tensor: number, reads: number, writes: number, chain: number, t: number): number {
    const counters = this.tensors[tensor];
    counters.spadRead += reads * 8;
    counters.spadWrite += writes * 8;
    const hops = this.hops(core, fromCore);
    const latency = this.spadLatency + 2 * hops * this.hopLatency;
    const bankDone = this.reserveBanks(core, t);
    if (chain <= 0) return t; // posted stores
    const unloaded = latency * Math.ceil(chain / this.mlp);
    if (unloaded > this.stepMin) this.stepMin = unloaded;
    return Math.max(bankDone + latency, t + unloaded);
  }

  /**
   * Atomic operations at `core`'s atomic unit from a thread on `fromCore` (bank histogram in
   * this.bankAcc: each atomic is one read-modify-write of a bank word). `chain` of them need
   * their results in sequence (CAS probes, fetch-adds whose result is used); the rest are posted.
   * Returns when the thread may continue.
   */
  atomics(core: number, fromCore: number, tensor: number, ops: number, chain: number, t: number): number {
    if (ops <= 0) return t;
    this.atomicOps += ops;
    if (core !== fromCore) this.remoteAtomicOps += ops;
    const counters = this.tensors[tensor];
    counters.spadRead += ops * 8;
    counters.spadWrite += ops * 8;
    const hops = this.hops(core, fromCore);
    const latency = this.atomicLatency + 2 * hops * this.hopLatency;
    const start = Math.max(t, this.atomFree[core]);
    const service = ops * this.atomicService;
    this.atomFree[core] = start + service;
    this.atomBusy[core] += service;
    const bankDone = this.reserveBanks(core, t);
    if (chain <= 0) return t; // posted: resources are occupied, the thread goes on
    const unloaded = Math.ceil(chain / this.mlp) * latency;
    if (unloaded > this.stepMin) this.stepMin = unloaded;
    // The dependent ops are the first `chain` of the batch; the rest are posted behind them.
    const chainDone = start + chain * this.atomicService + latency;
    return Math.max(chainDone, chain >= ops ? bankDone + latency : t, t + unloaded);
  }

  /** A dependency chain the step cannot beat (e.g. round trips to several cores in sequence). */
  latencyFloor(t: number, cycles: number): number {
    if (cycles > this.stepMin) this.stepMin = cycles;
    return t + cycles;
  }

  /** Mesh hops between two cores (Manhattan distance on a mesh `meshWidth` cores wide). */
  hops(a: number, b: number): number {
    if (a === b) return 0;
    const w = this.meshWidth;
    return Math.abs((a % w) - (b % w)) + Math.abs(Math.floor(a / w) - Math.floor(b / w));
  }

  /** Cycles a barrier across `cores` takes to release after the last arrival. */
  barrierLatency(global: boolean): number {
    if (!global) return this.atomicLatency;
    const height = Math.ceil(this.cores / this.meshWidth);
    return this.atomicLatency + 2 * (this.meshWidth - 1 + height - 1) * this.hopLatency;
  }

  /** Marks the start of a software cache flush (non-coherent caches between phases). */
  flushCaches(): void {
    const ways = this.ways;
    const totalSets = this.cores * this.sets;
    const meta = this.cacheMeta;
    for (let set = 0; set < totalSets; set++) {
      const tb = set * 4 * ways;
      for (let k = 0; k < ways; k++) {
        if (meta[tb + k] >= 0) this.retire(set, k);
        meta[tb + k] = -1;
        meta[tb + ways + k] = 0; // an empty way's stamp (see lookupMask)
      }
    }
  }

  /** Finishes accounting (counts never-used sectors still in the caches as wasted). */
  finalize(): void {
    this.flushCaches();
  }

  // --- internals -----------------------------------------------------------------------------

  private channelOf(address: number): number {
    return Math.floor(address / this.interleave) % this.channels;
  }

  /** channelOf(lineAddress * lineBytes), without the multiply when lines tile the interleave unit. */
  private lineChannel(lineAddress: number): number {
    const k = this.linesPerUnit;
    return k > 0 ? Math.floor(lineAddress / k) % this.channels : this.channelOf(lineAddress * this.lineBytes);
  }

  private addChannel(channel: number, accesses: number): void {
    if (this.chanAcc[channel] === 0) this.chanTouched[this.chanTouchedCount++] = channel;
    this.chanAcc[channel] += accesses;
  }

  /** Adds `sectors` consecutive sectors starting at `address` to the per-channel batch. */
  private addChannelRange(address: number, sectors: number): void {
    const g = this.granularity;
    const perUnit = this.interleave / g;
    const firstUnit = Math.floor(address / this.interleave);
    const lastSector = Math.floor(address / g) + sectors - 1;
    const lastUnit = Math.floor((lastSector * g) / this.interleave);
    if (firstUnit === lastUnit) {
      this.addChannel(firstUnit % this.channels, sectors);
      return;
    }
    // Partial first and last units; whole units in between spread over the channels in turn.
    const firstSectors = (firstUnit + 1) * perUnit - Math.floor(address / g);
    const lastSectors = lastSector - lastUnit * perUnit + 1;
    this.addChannel(firstUnit % this.channels, firstSectors);
    this.addChannel(lastUnit % this.channels, lastSectors);
    const whole = lastUnit - firstUnit - 1;
    if (whole > 0) {
      const rounds = Math.floor(whole / this.channels);
      const extra = whole % this.channels;
      for (let k = 0; k < Math.min(whole, this.channels); k++) {
        const channel = (firstUnit + 1 + k) % this.channels;
        this.addChannel(channel, (rounds + (k < extra ? 1 : 0)) * perUnit);
      }
    }
  }

  /** Reserves the batched accesses on their channels at time t; returns the last completion. */
  private reserveChannels(t: number): number {
    let done = t;
    for (let i = 0; i < this.chanTouchedCount; i++) {
      const c = this.chanTouched[i];
      const n = this.chanAcc[c];
      this.chanAcc[c] = 0;
      const start = Math.max(t, this.chanFree[c]);
      const service = n * this.chanService;
      this.chanFree[c] = start + service;
      this.chanBusy[c] += service;
      this.dramAccesses += n;
      this.dramQueueWait += n * (start - t) + (this.chanService * n * (n - 1)) / 2;
      const complete = start + service + this.dramLatency;
      if (complete > done) done = complete;
    }
    this.chanTouchedCount = 0;
    return done;
  }

  private reserveBanks(core: number, t: number): number {
    let done = t;
    const base = core * this.banks;
    for (let b = 0; b < this.banks; b++) {
      const n = this.bankAcc[b];
      if (n === 0) continue;
      this.bankAcc[b] = 0;
      this.spadAccesses += n;
      const start = Math.max(t, this.bankFree[base + b]);
      this.bankFree[base + b] = start + n;
      this.bankBusy[base + b] += n;
      if (start + n > done) done = start + n;
    }
    return done;
  }

  /**
   * Looks up words [w0, w1] of a line; returns the mask of words to fetch (whole sectors) and
   * marks the requested words used. Evicts the LRU way on a line miss.
   */
  private lookup(core: number, tensor: number, lineAddress: number, w0: number, w1: number): number {
    const wps = this.wordsPerSector;
    return this.lookupMask(core, tensor, lineAddress, wordRange(w0, w1), wordRange(Math.floor(w0 / wps) * wps, Math.floor(w1 / wps) * wps + wps - 1));
  }

  /** Whole sectors covering the words of `request`. */
  private sectorsOf(request: number): number {
    const table = this.sectorTable;
    if (table !== undefined) return table[request];
    return this.sectorsOfSlow(request);
  }

  private sectorsOfSlow(request: number): number {
    const wps = this.wordsPerSector;
    if (wps === 1) return request;
    const wordsPerLine = this.lineBytes / 4;
    if (wps === wordsPerLine) return request !== 0 ? wordRange(0, wordsPerLine - 1) : 0;
    let need = 0;
    for (let w = 0; w < wordsPerLine; w += wps) {
      const sector = wordRange(w, w + wps - 1);
      if ((request & sector) !== 0) need |= sector;
    }
    return need;
  }

  /** Cache lookup of the words in `request` (sectors `need`); returns the words to fetch. */
  private lookupMask(core: number, tensor: number, lineAddress: number, request: number, need: number): number {
    this.cacheLookups++;
    const ways = this.ways;
    const set = core * this.sets + (lineAddress % this.sets);
    const stamp = ++this.lruClock;
    const meta = this.cacheMeta;
    const tb = set * 4 * ways;
    const sb = tb + ways;
    // Empty ways have stamp 0 (never used, or cleared by flushCaches) and used ones a stamp ≥ 1,
    // so the LRU victim — the first empty way, else the oldest — is the first smallest stamp.
    let victim = 0;
    let victimStamp = Infinity;
    for (let k = 0; k < ways; k++) {
      if (meta[tb + k] === lineAddress) {
        const info = this.cacheInfo;
        const ib = 2 * tb + 4 * ways + 4 * k;
        const missing = need & ~info[ib];
        info[ib] |= missing;
        info[ib + 1] |= request;
        meta[sb + k] = stamp;
        if (missing === 0) this.cacheHits++;
        return missing;
      }
      const s = meta[sb + k];
      if (s < victimStamp) {
        victimStamp = s;
        victim = k;
      }
    }
    if (meta[tb + victim] >= 0) this.retire(set, victim);
    meta[tb + victim] = lineAddress;
    const info = this.cacheInfo;
    const ib = 2 * tb + 4 * ways + 4 * victim;
    info[ib] = need;
    info[ib + 1] = request;
    info[ib + 2] = tensor;
    meta[sb + victim] = stamp;
    return need;
  }

  /** Accounts way k of `set` leaving the cache: fetched words that were used are useful. */
  private retire(set: number, k: number): void {
    const info = this.cacheInfo;
    const ib = set * 8 * this.ways + 4 * this.ways + 4 * k;
    const used = popcount(info[ib] & info[ib + 1]);
    this.tensors[info[ib + 2]].dramUsefulRead += used * 4;
  }
}

/** Mask of words w0..w1 (inclusive) of a line, 0 <= w0 <= w1 <= 31. */
export function wordRange(w0: number, w1: number): number {
  const upper = w1 >= 31 ? -1 : (1 << (w1 + 1)) - 1;
  return upper & ~((1 << w0) - 1);
}

export function popcount(x: number): number {
  x = x - ((x >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  x = (x + (x >>> 4)) & 0x0f0f0f0f;
  return Math.imul(x, 0x01010101) >>> 24;
}
