#!/usr/bin/env python3
"""Where drt-run's time goes, per case, in instructions (callgrind: repeatable
on a shared machine, unlike wall-clock figures).

usage: bench/drt_profile.py [--drt-run PATH] [--n N] [--seed S] TARGET
       (default: build/drt/drt-run, 2,000 cases, seed 7; use a RelWithDebInfo
       or Release build with symbols)

Splits each case into generation, emitting texts, core's parsers (schema,
policies, entities, requests), core's evaluation, the model, freeing, and
the comparison and driver, from the callees of drt_run_case,
drt_core_load and drt_target_<target>."""
import argparse, collections, re, subprocess, sys, tempfile, os

ap = argparse.ArgumentParser()
ap.add_argument("--drt-run", default="build/drt/drt-run")
ap.add_argument("--n", type=int, default=2000)
ap.add_argument("--seed", type=int, default=7)
ap.add_argument("--from", dest="cg", help="read this callgrind output (of the same --n) instead of running")
ap.add_argument("target")
args = ap.parse_args()
cg = args.cg or os.path.join(tempfile.mkdtemp(), "callgrind.out")
if not args.cg: subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=" + cg, args.drt_run,
                "--random", str(args.n), "--seed", str(args.seed), args.target],
               check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
out = subprocess.run(["callgrind_annotate", "--tree=calling", "--inclusive=yes", cg],
                     capture_output=True, text=True).stdout.split("\n")
total = int(re.search(r"summary: (\d+)", open(cg).read()).group(1))
def callees(fn):
    res=[];on=False
    for l in out:
        if re.match(r'\s*[\d,]+ \(.*\)\s+\*  ',l):
            on = l.split('*  ')[1].split(' [')[0].endswith(fn) and '[' in l
            continue
        if on and '>   ' in l:
            m=re.match(r'\s*([\d,]+) .*>\s+(\S+) \((\S+)x\)',l)
            if m: res.append((m.group(2).split(':')[-1],int(m.group(1).replace(',',''))))
    return res
st=collections.Counter()
cat={'drt_core_load':None,'gen_emit_case':'emit Cedar text / JSON (generators)','m_is_authorized':'model (authorizer, evaluator)','m_evaluate':'model (authorizer, evaluator)',
 'cedar_authorize':'core evaluation','cd_policy_eval':'core evaluation','cedar_response_new':'core evaluation','cedar_response_free':'core evaluation',
 'gen_model_policies':'generation (generators)','drt_core_free':'freeing (core objects, texts, model arena)','gen_texts_free':'freeing (core objects, texts, model arena)'}
load={'cedar_schema_parse':'core: schema parser','cedar_policy_set_parse':'core: policy parser (+links)','cedar_policy_set_link':'core: policy parser (+links)',
 'cedar_entities_parse':'core: entities JSON (jansson + loader)','drt_request_from_test_json':'core: requests JSON','cedar_request_parse_json':'core: requests JSON'}
tgt='drt_target_'+args.target.replace('-','_')
for f,n in callees('drt_run_case'):
    if f=='drt_core_load':
        for g,m in callees('drt_core_load'): st[load.get(g,'core: other loading')]+=m
    else: st[cat.get(f,'comparison, reporting, other harness')]+=n
# the target calls drt_run_built (build the case, run it, free the arena),
# or builds and runs the case itself
outer=callees(tgt)
if any(f=='drt_run_built' for f,_ in outer):
    outer=[x for x in outer if x[0]!='drt_run_built']+callees('drt_run_built')
for f,n in outer:
    if f.startswith('drt_case') or f=='gen_case_build': st['generation (generators)']+=n
    elif f=='m_arena_free' : st['freeing (core objects, texts, model arena)']+=n
    elif f=='drt_run_case': pass
    else: st['comparison, reporting, other harness']+=n
acc=sum(st.values()); st['driver (random bytes, loop)']+=total-acc
for k,v in sorted(st.items(),key=lambda x:-x[1]): print(f'{v/args.n:>9,.0f} {100*v/total:5.1f}%  {k}')
print(f'{total/args.n:>9,.0f} instructions per case')
