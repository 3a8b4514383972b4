import FuzzDriver

runFuzzer(fuzzOne)
