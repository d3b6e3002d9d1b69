import { canonicalPaperId } from './paper.js';

// hf.co is Hugging Face's own short domain, used in shared links.
const HF_URL = /(?:huggingface|\bhf)\.co\/papers\/([^/?#\s]+)/iu;
const ARXIV_URL = /arxiv\.org\/(?:abs|pdf|html)\/([^?#\s]+?)(?:\.pdf)?\/?(?:[?#]|$)/iu;

/**
 * The canonical arXiv id in what a user typed: an id (with or without version or "arXiv:" prefix), a Hugging Face
 * paper URL, or an arXiv abs/pdf/html URL. Null when it is none of these (then it may be a title).
 */
export function paperIdFromReference(input: string): string | null {
  const text = input.trim();
  const fromUrl = HF_URL.exec(text)?.[1] ?? ARXIV_URL.exec(text)?.[1];
  return canonicalPaperId(fromUrl ?? text);
}
