# The benchmark workloads, sourced by scripts/bench.sh and scripts/profile.sh: each one's
# request with __LR__ where `lr` goes, that lr, and the goal for distinct requests (lrsched's
# requests per second over nginx's for the same answer bytes as a static file).
declare -A body lr goal
body[steplr100]='{"scheduler":"StepLR","lr":__LR__,"params":{"step_size":10,"gamma":0.9},"epochs":100}'
body[steplr1000]='{"scheduler":"StepLR","lr":__LR__,"params":{"step_size":10,"gamma":0.9},"epochs":1000}'
body[cosine1000]='{"scheduler":"CosineAnnealingLR","lr":__LR__,"params":{"T_max":1000},"epochs":1000}'
body[hfcosine1000]='{"framework":"transformers","scheduler":"cosine","lr":__LR__,"params":{"num_warmup_steps":100,"num_training_steps":1000},"epochs":1000}'
lr[steplr100]=0.1 lr[steplr1000]=0.1 lr[cosine1000]=0.1 lr[hfcosine1000]=0.001
goal[steplr100]=0.8 goal[steplr1000]=0.5 goal[cosine1000]=0.45 goal[hfcosine1000]=0.45
workloads=(steplr100 steplr1000 cosine1000 hfcosine1000)
