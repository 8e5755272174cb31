// Parameters and statistics of the FPGA DSP-chain family (FlightLLM on Alveo U280, SAT on
// VCU1525), declared once. Defaults describe a FlightLLM-like design on an Alveo U280;
// arch/u280-flightllm.yaml repeats them with their sources. Provenance tags as in
// Provenance tags: [T] datasheet, [M] measured or artifact code, [R] recalled,
// [D] derived (arithmetic shown), [A] our assumption.

import type { ParamDecl, StatDecl } from '../../spec/params.js';
import { DSP_CHAIN_RESOURCE_PARAMS, DSP_CHAIN_RESOURCE_STATS } from './resources.js';

const FLIGHTLLM_CFG = 'FlightLLM artifact, FlightLLM/flightllm_test_demo: profile/config.yaml';
const WP486 = 'Xilinx WP486 "Deep Learning with INT8 Optimization on Xilinx Devices"';

const fraction = (key: string, defaultValue: string, description: string, source: string): ParamDecl => ({
  key,
  type: 'quantity',
  dimension: 'dimensionless',
  min: 0,
  max: 1,
  default: defaultValue,
  description,
  source,
});

export const DSP_CHAIN_PARAMS: readonly ParamDecl[] = [
  {
    key: 'clock',
    type: 'quantity',
    dimension: 'frequency',
    positive: true,
    default: '225 MHz',
    description: 'Clock of the DSP chains, buffers and special-function unit',
    source: `[M code] ${FLIGHTLLM_CFG}: CLOCK_FREQ_MHZ 225 (VHK158 model); for U280 an assumption [A]`,
  },
  // --- the device: what the design may use -------------------------------------------------
  { key: 'device.dsp_slices', type: 'integer', min: 1, default: 9024, description: 'DSP48E2 slices on the device', source: '[T] Alveo U280 (XCU280) data sheet, AMD DS963' },
  { key: 'device.bram_blocks', type: 'integer', min: 0, default: 2016, description: 'Block RAMs (36 Kb each) on the device', source: '[R] XCU280: 2,016 x 36 Kb (AMD DS963)' },
  { key: 'device.uram_blocks', type: 'integer', min: 0, default: 960, description: 'UltraRAMs (288 Kb each) on the device', source: '[R] XCU280: 960 x 288 Kb (AMD DS963)' },
  { key: 'device.luts', type: 'integer', min: 0, default: 1304000, description: 'CLB LUTs (LUT6) on the device, against which the LUT estimate is checked', source: '[T] Xilinx DS963 (Alveo U280 data sheet): 1,304K LUTs' },
  ...DSP_CHAIN_RESOURCE_PARAMS,
  // --- DSP chains ----------------------------------------------------------------------------
  {
    key: 'compute.chains',
    type: 'integer',
    min: 1,
    default: 384,
    description: 'DSP chains instantiated (each a cascade of chain_length DSP48E2 slices computing one dot product); all of them work in matrix-matrix mode',
    source: '[A] 3 SLR cores x 128 chains, after the artifact\'s MM parallelism of 128 x 16 per core; FlightLLM\'s U280 DSP use is not published in Zeng et al., FPGA 2024',
  },
  {
    key: 'compute.chain_length',
    type: 'integer',
    min: 1,
    max: 1024,
    default: 16,
    description: 'DSP48E2 slices cascaded in one chain (PCOUT→PCIN): K elements reduced per chain per cycle',
    source: `[M code] ${FLIGHTLLM_CFG}: MM/MV_PARALLEL_K 16 = FSB_BLOCK_SIZE 16`,
  },
  {
    key: 'compute.reduction_node_spacing',
    type: 'integer',
    min: 1,
    max: 1024,
    default: 4,
    description:
      'A reduction node every this many DSPs lets the chain be broken there, so N:M or N:16 groups map to sub-chains of s·ceil(N/s) DSPs; chain_length or more means no reduction nodes (a plain dense chain)',
    source: '[A] FlightLLM breaks chains "at arbitrary positions" (FPGA \'24, configurable sparse DSP chain); 4 serves N in {4, 8, 16} exactly and 2 at 50 %',
  },
  {
    key: 'compute.mv_chains',
    type: 'integer',
    min: 0,
    default: 0,
    description: 'Chains active in matrix-vector (decode, one token) mode; 0 means all chains',
    source: `[A] all; FlightLLM runs MV on half the MM parallelism (${FLIGHTLLM_CFG}: MV 64 x 16 x 1 vs MM 2 x 16 x 128 per core), which the presets set`,
  },
  {
    key: 'compute.mm_token_lanes',
    type: 'integer',
    min: 1,
    default: 64,
    description: 'In matrix-matrix mode, chains that share one broadcast weight vector and work on different tokens (capped at compute.chains); the rest (chains / token lanes) work on different output rows',
    source: `[A] after ${FLIGHTLLM_CFG}: MM_PARALLEL_M 128 tokens per core = 64 lanes x 2 packed tokens`,
  },
  {
    key: 'compute.int8_packing',
    type: 'enum',
    choices: ['none', 'shared-weight', 'shared-operand'],
    default: 'shared-weight',
    description:
      "Two INT8 (or INT4-weight) MACs per DSP48E2 when they share an operand: 'shared-weight' packs two tokens on one weight (matrix-matrix only), 'shared-operand' also packs two dense weight rows on one activation (matrix-vector), 'none' is one MAC per DSP",
    source: `[T] ${WP486}: 2 INT8 MACs per DSP48E2 sharing one operand`,
  },
  {
    key: 'compute.packed_accumulation_limit.int8',
    type: 'integer',
    min: 0,
    default: 7,
    description: 'Packed INT8 products one cascade segment may accumulate before the low lane overflows into the high one; packing is off when a segment (reduction-node spacing, or the whole chain) is longer. 0 = no limit',
    source: `[R] ${WP486}: up to 7 packed INT8 products accumulate in a cascade`,
  },
  {
    key: 'compute.packed_accumulation_limit.int4',
    type: 'integer',
    min: 0,
    default: 127,
    description: 'The same limit for INT4 weights x INT8 activations: 12-bit products leave wider guard bands (a wider accumulator per lane)',
    source: '[D] 2^(19 - product bits) - 1 with the WP486 layout: 7 for 16-bit INT8 products, 127 for 12-bit INT4 x INT8 products',
  },
  {
    key: 'compute.dsps_per_fp_mac',
    type: 'integer',
    min: 1,
    default: 2,
    description: 'DSP48E2 slices per FP16/BF16/FP8 MAC (FP32/TF32 take twice as many; INT16 takes one, INT32 four)',
    source: '[A] DSP48E2 has no native floating point; mantissa multiply plus alignment/normalisation',
  },
  {
    key: 'compute.pipeline_latency',
    type: 'integer',
    min: 0,
    default: 8,
    description: 'Cycles of a chain\'s pipeline registers and reduction tree besides the one-cycle-per-DSP cascade; fill + drain once per operator',
    source: '[A] DSP48E2 A/B, M and P registers plus a short adder tree and quantisation',
  },
  {
    key: 'compute.instruction_outputs',
    type: 'integer',
    min: 1,
    default: 512,
    description: 'Output elements one matrix instruction (MV/MM) produces; element-wise instructions cover the same number of elements',
    source: `[M code] ${FLIGHTLLM_CFG}: MV_START_N_NUM 512`,
  },
  {
    key: 'compute.instruction_overhead',
    type: 'integer',
    min: 0,
    default: 1,
    description: 'Cycles each instruction (matrix, element-wise, load, store) costs the engine that issues it, not hidden by the pipeline',
    source: '[M code] FlightLLM artifact, profile/inst_gen/inst_profiler.py: SYS instructions cost 1 cycle',
  },
  // --- special-function unit -----------------------------------------------------------------
  {
    key: 'sfu.ops_per_cycle',
    type: 'integer',
    min: 1,
    default: 192,
    description: 'Element-wise operations per cycle of the special-function unit (softmax, norms, SiLU, RoPE, adds); work per element from OPS_PER_ELEMENT',
    source: `[A] 3 cores x 16 lanes (${FLIGHTLLM_CFG}: SOFTMAX/LAYERNORM/SILU/ELTWISE_PARALLEL_K 16) x 4 operations per lane`,
  },
  { key: 'sfu.dsp_slices', type: 'integer', min: 0, default: 384, description: 'DSP slices the special-function unit uses (counted in the resource check)', source: '[A]' },
  // --- on-chip buffers -----------------------------------------------------------------------
  {
    key: 'buffers.weight.bram_blocks',
    type: 'integer',
    min: 1,
    default: 1024,
    description: 'BRAM36 blocks of the double-buffered weight (and KV-cache tile) buffer; capacity 4,608 B and one read port per block',
    source: '[A]',
  },
  {
    key: 'buffers.activation.uram_blocks',
    type: 'integer',
    min: 1,
    default: 640,
    description: 'URAM288 blocks of the activation buffer (tokens, intermediates; always-on-chip decode keeps them here); capacity 36,864 B and one read port per block',
    source: '[A]',
  },
  {
    key: 'buffers.output.bram_blocks',
    type: 'integer',
    min: 1,
    default: 256,
    description: 'BRAM36 blocks of the output / partial-sum buffer at the reduction nodes',
    source: '[A]',
  },
  { key: 'memory.bram.port_bits', type: 'integer', min: 1, default: 72, description: 'Read-port width of one BRAM36 block (simple dual port)', source: '[R] UG573 (UltraScale memory resources): BRAM36 up to 72 bits wide' },
  { key: 'memory.uram.port_bits', type: 'integer', min: 1, default: 72, description: 'Read-port width of one URAM288 block', source: '[R] UG573: URAM288 72-bit ports' },
  {
    key: 'memory.activations_on_chip',
    type: 'enum',
    choices: ['decode', 'when-fit', 'never'],
    default: 'decode',
    description:
      "'decode': always-on-chip decode (FlightLLM) — decode-phase activations stay in the activation buffer (an error if they do not fit) and only weights and the KV cache stream; other phases go off chip. 'when-fit': any phase stays on chip when its activations fit. 'never': activations always go off chip",
    source: '[T] FlightLLM (Zeng et al., FPGA \'24, arXiv 2401.03868): always-on-chip decode',
  },
  // --- HBM ----------------------------------------------------------------------------------
  { key: 'memory.hbm.channels', type: 'integer', min: 0, default: 32, description: 'HBM pseudo-channels (0 = no HBM)', source: '[T] AMD UG1393: U280 HBM2 in 32 pseudo-channels' },
  {
    key: 'memory.hbm.channel_bandwidth',
    type: 'quantity',
    dimension: 'bandwidth',
    min: 0,
    default: '14.375 GB/s',
    description: 'Peak bandwidth of one pseudo-channel',
    source: '[T] UG1393: 460 GB/s / 32 pseudo-channels',
  },
  { key: 'memory.hbm.channel_capacity', type: 'quantity', dimension: 'bytes', min: 0, default: '256 MiB', description: 'Capacity of one pseudo-channel', source: '[T] UG1393: 8 GB in 32 x 256 MB' },
  fraction('memory.hbm.same_channel_efficiency', '0.7', 'Fraction of a pseudo-channel\'s peak reached by the port attached to it (local access)', `[M code] ${FLIGHTLLM_CFG}: HBM_BW_SAME_CHANNEL_EFFICIENCY 0.7`),
  fraction('memory.hbm.cross_channel_efficiency', '0.35', 'Fraction of peak when a port reaches another pseudo-channel through the HBM switch (cross access)', `[M code] ${FLIGHTLLM_CFG}: HBM_BW_CROSS_CHANNEL_EFFICIENCY 0.35`),
  { key: 'memory.hbm.weights.channels', type: 'integer', min: 0, default: 0, description: 'Pseudo-channels the weights are striped over (0 = all)', source: '[A]' },
  { key: 'memory.hbm.weights.access', type: 'enum', choices: ['local', 'cross'], default: 'local', description: 'How the chains\' ports reach the weight channels', source: '[M code] FlightLLM IR_linear_mv.py: weight loads are not cross-channel' },
  { key: 'memory.hbm.kv_cache.channels', type: 'integer', min: 0, default: 0, description: 'Pseudo-channels the KV cache is striped over (0 = all)', source: '[A]' },
  { key: 'memory.hbm.kv_cache.access', type: 'enum', choices: ['local', 'cross'], default: 'local', description: 'How the ports reach the KV-cache channels', source: '[M code] FlightLLM IR_attention_mv.py: K/V loads are not cross-channel' },
  { key: 'memory.hbm.activations.channels', type: 'integer', min: 0, default: 4, description: 'Pseudo-channels that hold off-chip activations (0 = all)', source: '[A]' },
  { key: 'memory.hbm.activations.access', type: 'enum', choices: ['local', 'cross'], default: 'cross', description: 'How the ports reach the activation channels', source: '[M code] FlightLLM IR_linear_mv.py: the input sequence is loaded cross-channel' },
  // --- DDR -----------------------------------------------------------------------------------
  { key: 'memory.ddr.channels', type: 'integer', min: 0, default: 2, description: 'DDR4 channels (0 = none)', source: '[R] U280: 2 x 16 GB DDR4-2400 (AMD UG1314, Alveo U280 user guide)' },
  { key: 'memory.ddr.channel_bandwidth', type: 'quantity', dimension: 'bandwidth', min: 0, default: '19.2 GB/s', description: 'Peak bandwidth of one DDR channel', source: '[D] DDR4-2400 x 64 bit = 19.2 GB/s' },
  fraction('memory.ddr.efficiency', '0.8', 'Fraction of DDR peak reached by streaming transfers', '[A]'),
  { key: 'memory.ddr.channel_capacity', type: 'quantity', dimension: 'bytes', min: 0, default: '16 GiB', description: 'Capacity of one DDR channel', source: '[R] U280: 2 x 16 GB DDR4' },
  // --- where tensors live ----------------------------------------------------------------------
  { key: 'memory.placement.weights', type: 'enum', choices: ['hbm', 'ddr'], default: 'hbm', description: 'Off-chip memory holding the model weights', source: '[T] FlightLLM streams weights from HBM' },
  { key: 'memory.placement.kv_cache', type: 'enum', choices: ['hbm', 'ddr'], default: 'hbm', description: 'Off-chip memory holding the KV cache', source: '[T] FlightLLM' },
  { key: 'memory.placement.activations', type: 'enum', choices: ['hbm', 'ddr'], default: 'hbm', description: 'Off-chip memory holding activations that leave the chip', source: '[A]' },
  // --- training --------------------------------------------------------------------------------
  {
    key: 'training.nm_pregeneration',
    type: 'boolean',
    default: true,
    description:
      "SAT's pre-generation of N:M weights: a forward-phase GEMM with N:M parameters reads the dense master weights, selects the N largest of each M on the special-function unit (ceil(log2 M) operations per weight) and writes the N:M transposed copy for backward-data",
    source: '[T] SAT (TCAD 2023) abstract: pre-generation of N:M sparse weights; cost per weight [A]',
  },
  // --- power -----------------------------------------------------------------------------------
  { key: 'memory.host.bandwidth', type: 'quantity', dimension: 'bandwidth', min: 0, default: '12 GB/s', description: 'Host link (PCIe) for --allow-spill streaming', source: '[T] U280 PCIe Gen3 x16 15.75 GB/s raw; ~12 GB/s achieved [R]' },
  { key: 'power.static', type: 'quantity', dimension: 'power', min: 0, default: '35 W', description: 'Static (leakage, clocking, shell, HBM/DDR idle) board power, charged for every cycle', source: '[A] no measured FlightLLM board power is published (Zeng et al., FPGA 2024 give only the energy-efficiency ratio vs a V100S)' },
  { key: 'power.source', type: 'string', default: '[A] assumption', description: 'Where power.static comes from (repeated in result notes)' },
];

export const DSP_CHAIN_STATS: readonly StatDecl[] = [
  { key: 'dspUtilization', unit: 'fraction', description: 'Nonzero-weight MACs issued / (chain DSPs × MACs per DSP × cycles): FlightLLM\'s utilisation' },
  { key: 'chainUtilization', unit: 'fraction', description: 'DSP slots holding a kept weight (nonzero or padding) / chain DSP slots, during chain compute cycles' },
  { key: 'effectiveHbmBandwidth', unit: 'B/s', description: 'Modelled bandwidth of the HBM channel set holding this operator\'s streamed operand (channels × channel bandwidth × same/cross efficiency)' },
  { key: 'achievedOffChipBandwidth', unit: 'B/s', description: 'Off-chip bytes moved / operator time' },
  { key: 'chainLength', unit: 'DSPs', description: 'DSP48E2 slices per chain' },
  { key: 'subChainLength', unit: 'DSPs', description: 'DSPs per sub-chain after splitting at reduction nodes (= chain length when not split)' },
  { key: 'subChainsPerChain', unit: 'sub-chains', description: 'Sparse groups one chain works on per cycle' },
  { key: 'activeChains', unit: 'chains', description: 'Chains used by this operator (MV mode uses compute.mv_chains)' },
  { key: 'macsPerDsp', unit: 'MAC/cycle', description: 'MACs one DSP performs per cycle for this operator (2 when INT8 packing applies)' },
  { key: 'matrixVectorMode', unit: 'bool', description: '1 for matrix-vector mode (one token), 0 for matrix-matrix' },
  { key: 'weightBytes', unit: 'B', description: 'Storage of the weight operand of one instance (all batch GEMMs) in its format, metadata included' },
  { key: 'kvCacheBytes', unit: 'B', description: 'KV-cache bytes this operator reads (weight_kind kv-cache)' },
  { key: 'offChipActivationBytes', unit: 'B', description: 'Activation bytes read and written off chip (0 when they stay on chip)' },
  { key: 'sfuCycles', unit: 'cycles', description: 'Special-function-unit cycles (element-wise operators; N:M pre-generation in training)' },
  { key: 'sfuOperations', unit: 'operations', description: 'Element-wise operations on the special-function unit' },
  { key: 'instructions', unit: 'instructions', description: 'Matrix, element-wise, load and store instructions issued' },
  { key: 'tiles', unit: 'tiles', description: 'Weight tiles (or element-wise chunks) streamed through the double buffer' },
  ...DSP_CHAIN_RESOURCE_STATS,
];
