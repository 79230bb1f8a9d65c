/**
 * Evaluation for SteerOpt: datasets, leak-free splits, prompt variants, answer checking, paired statistics and a
 * synthetic word-problem generator. Nothing here depends on a model: the model side turns a rendered prompt into a
 * completion, and this module turns completions into grades and grades into statistics.
 *
 * <p>A typical pipeline, from data to a paired comparison:
 * <pre>{@code
 * Path data = Path.of("data");                                          // data/gsm8k/{train,test}.jsonl
 * List<Problem> pool = Gsm8k.load(data, Gsm8k.Split.TRAIN);
 * List<Problem> test = Gsm8k.load(data, Gsm8k.Split.TEST);
 * SplitPlan plan = SplitPlan.draw(pool, test, 200, 300, OptionalInt.empty(), 42L);  // train / validation / test ids
 * PromptVariant prompt = PromptVariants.kShotFromTrain(plan, pool, 5, 42L);        // exemplars from train only
String text = prompt.render(problem);                                  // model side generates from this
 * Grader grader = Graders.gsm8k();
 * Grade g = grader.grade(problem, completion);                           // strict and flexible
 * McNemarResult m = ExactMcNemar.test(baselineCorrect, steeredCorrect);
 * BootstrapInterval ci = PairedBootstrap.accuracyDifference(baselineCorrect, steeredCorrect, 10_000, 7L);
 * }</pre>
 *
 * <p>Expected bad input (missing files, malformed lines, duplicate ids) raises {@link
 * dev.steeropt.eval.EvaluationInputException} with what, why and how to fix.
 */
package dev.steeropt.eval;
