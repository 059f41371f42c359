# Policy text that stresses the parser: deep nesting, huge literals, bad bytes.
source "$(dirname "$0")/lib.sh"

echo '[]' >"$tmp/e.json"
req=(--entities "$tmp/e.json" --principal 'User::"a"' --action 'Action::"a"' --resource 'R::"r"')

# 999 nested parentheses: within the nesting limit, evaluated on a 256 KB stack
# (Debug ASan frames are ~10 times larger: 999 levels need 2-4 MB there, so
# the sanitizer build keeps the default 8 MB)
small_stack=(--stack 256)
[[ $sanitized == 1 ]] && small_stack=()
python3 -c "n=999; print('permit(principal,action,resource) when {' + '('*n + 'true' + ')'*n + '};')" >"$tmp/p999.cedar"
hostile parens-999 0 '^ALLOW$' "${small_stack[@]}" -- "$cedar" authorize --policies "$tmp/p999.cedar" "${req[@]}"
# 100,000: a clean error at the place the limit is passed
python3 -c "n=100000; print('permit(principal,action,resource) when {' + '('*n + 'true' + ')'*n + '};')" >"$tmp/p1e5.cedar"
hostile parens-100000 1 'p1e5.cedar:1:[0-9]+: .*nested too deeply' "${small_stack[@]}" -- "$cedar" check-parse --policies "$tmp/p1e5.cedar"
# nested set and record literals (a set level costs more stack than a
# parenthesis: 1,000 of them need more than 256 KB, so the default stack)
python3 -c "n=100000; print('permit(principal,action,resource) when {' + '['*n + ']'*n + ' == [] };')" >"$tmp/sets.cedar"
hostile sets-100000 1 'sets.cedar:1:[0-9]+: .*nested too deeply' -- "$cedar" check-parse --policies "$tmp/sets.cedar"
python3 -c "n=100000; print('permit(principal,action,resource) when {' + '{a:'*n + '1' + '}'*n + ' == {} };')" >"$tmp/recs.cedar"
hostile records-100000 1 'recs.cedar:1:[0-9]+: .*nested too deeply' -- "$cedar" check-parse --policies "$tmp/recs.cedar"
# an integer literal past 64 bits, and the smallest long written as a literal
echo 'permit(principal,action,resource) when { 99999999999999999999 > 0 };' >"$tmp/big.cedar"
hostile long-overflow 1 'big.cedar:1:[0-9]+: .*' -- "$cedar" check-parse --policies "$tmp/big.cedar"
echo 'permit(principal,action,resource) when { -9223372036854775808 < 0 };' >"$tmp/min.cedar"
hostile long-min 0 '^ALLOW$' -- "$cedar" authorize --policies "$tmp/min.cedar" "${req[@]}"
# invalid UTF-8 inside a string literal
printf 'permit(principal,action,resource) when { "\xff\xfe" == "" };\n' >"$tmp/utf8.cedar"
hostile invalid-utf8 1 'utf8.cedar:1:[0-9]+: .*UTF-8' -- "$cedar" check-parse --policies "$tmp/utf8.cedar"
# a megabyte of policy text with no end
python3 -c "print('permit(principal,action,resource) when { \"' + 'a'*1000000)" >"$tmp/open.cedar"
hostile unterminated-string 1 'open.cedar:1:[0-9]+: ' -- "$cedar" check-parse --policies "$tmp/open.cedar"

hostile_done
