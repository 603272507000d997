#!/bin/sh
# Alternating converged site.yml runs on lab instance 3: main 713df33 (its dist and its playbooks) vs pgsite.
INV=/work/wt/pgsite/inventory/lab3.yml
ROUNDS=${ROUNDS:-5}
for i in $(seq 1 $ROUNDS); do
  for b in base pgsite; do
    dir=/tmp/pgsite-base; [ $b = pgsite ] && dir=/work/wt/pgsite
    load=$(cut -d' ' -f1 /proc/loadavg)
    s=$(date +%s.%N)
    (cd $dir && node bin/pgha.js run playbooks/site.yml -i $INV > /tmp/pgsite-ab-$b-$i.log 2>&1); rc=$?
    e=$(date +%s.%N)
    changed=$(grep -o 'changed=[0-9]*' /tmp/pgsite-ab-$b-$i.log | tr '\n' ' ')
    echo "$b round $i: $(echo "$e - $s" | bc) s wall, rc $rc, load $load, $changed"
  done
done
