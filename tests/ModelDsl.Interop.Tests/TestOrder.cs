// The interop tests run one at a time. Each builds its nets from torch's global generator (Nets.Create seeds it, then draws
// the weights) and runs libtorch's process-wide CPU kernels; run side by side, one test's seed lands between another's
// draws, so a random net got other weights than its seed says, and a failure could not be reproduced from its seed (a
// random chain once gave NaN in a full run and never alone). Serial, every net is the one its seed names.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
