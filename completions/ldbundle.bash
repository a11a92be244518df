# bash completion for ldbundle(1)                             -*- shell-script -*-
_ldbundle()
{
	local cur prev words cword
	_init_completion || return

	local cmds="create verify review approve export gap"
	if [[ $cword -eq 1 ]]; then
		COMPREPLY=($(compgen -W "$cmds --help --version" -- "$cur"))
		return
	fi
	case $prev in
	--scope|--report|--timeline|--key|--trust|--keyring|--html)
		_filedir
		return ;;
	-o|--output|--source-root)
		_filedir -d
		[[ ${words[1]} == export ]] && _filedir
		return ;;
	--role)
		COMPREPLY=($(compgen -W "security legal" -- "$cur"))
		return ;;
	--reviewer|--organization|--max-size|--max-ratio)
		return ;;
	esac
	local opts
	case ${words[1]} in
	create)  opts="--force --organization --output -o --report --scope --source-root --timeline --help" ;;
	verify)  opts="--fast --keyring --max-ratio --max-size --quiet -q --ready --trust --help" ;;
	review)  opts="--html --keyring --help" ;;
	gap)     opts="--help" ;;
	approve) opts="--force --key --reviewer --role --help" ;;
	export)  opts="--draft --force --keyring --output -o --help" ;;
	esac
	if [[ $cur == -* ]]; then
		COMPREPLY=($(compgen -W "$opts" -- "$cur"))
	else
		_filedir
	fi
} &&
complete -F _ldbundle ldbundle
