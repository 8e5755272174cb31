// What each architecture family can do with each weight storage format, declared on the format
// itself (formats.ts: `families`, a Record over every family id). A new format must say, for every
// family, whether it has a kernel there, only moves compressed bytes, falls back to something it
// names, or is unsupported; a family must then honour that declaration — so a format never runs
// silently as another kernel.

/** The architecture families (src/families/registry.ts lists the same ids; a test checks it). */
export type FamilyId = 'systolic' | 'tensor-core' | 'dsp-chain' | 'scratchpad' | 'spatial';
export const FAMILY_IDS: readonly FamilyId[] = ['systolic', 'tensor-core', 'dsp-chain', 'scratchpad', 'spatial'];

export type FormatCapability =
  /** A kernel or datapath computes on the format; `kernel` is the family's name for it. */
  | { use: 'kernel'; kernel: string; note: string }
  /** Bytes move and sit in the format (values + metadata); compute expands them to dense. */
  | { use: 'compressed-traffic'; note: string }
  /** Runs as `as` (a kernel of the family), and the result says so with `why`. */
  | { use: 'fallback'; as: string; why: string }
  /** The family rejects the format with a positioned error saying `why`. */
  | { use: 'unsupported'; why: string };

export type FamilyCapabilities = Readonly<Record<FamilyId, FormatCapability>>;

/** The scratchpad family runs graph kernels only: GEMM weight formats do not apply there. */
export const GRAPH_KERNELS_ONLY: FormatCapability = {
  use: 'unsupported',
  why: 'the scratchpad family runs graph kernels (spgemm, spmv, pagerank, bfs) on CSR matrices, not GEMMs with stored weights',
};

/** The systolic family keeps any format's bytes when memory.compressed_operands is true. */
export const SYSTOLIC_COMPRESSED: FormatCapability = {
  use: 'compressed-traffic',
  note: 'moved and buffered in this format when memory.compressed_operands is true, expanded at the array edge (no time saved unless zero_handling skips)',
};

/** The DSP chain moves a format that does not group its values along K compressed, and computes dense. */
export const DSP_CHAIN_COMPRESSED: FormatCapability = {
  use: 'compressed-traffic',
  note: 'weights stream in this format from HBM; the chain computes every slot (its sparse datapath needs values grouped along K)',
};

/**
 * The spatial family prices any format by its storage (stored values and metadata bits per dense
 * word) at the storage levels its architecture file declares the tensor compressed; skipping and
 * gating are the architecture's sparse features, not the format's (src/families/spatial/sparse.ts).
 */
export const SPATIAL_FORMAT_STORAGE: FormatCapability = {
  use: 'compressed-traffic',
  note: "values and metadata move in this format at the storage levels the architecture declares compressed; zeros are skipped or gated only where the architecture's sparse features say so",
};
