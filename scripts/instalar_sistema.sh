#!/usr/bin/env bash
# Bibliotecas del sistema que necesita el motor de PDF (WeasyPrint): Pango y el subconjunto
# de HarfBuzz. Se instalan con apt-get sólo si faltan. El PDF no usa fuentes del sistema (trae
# las suyas: src/helpers/comun/fuentes); DejaVu del sistema la usa la prueba que comprueba
# eso (tests/test_tipografia.py), como la fuente «de otra máquina».
set -euo pipefail
faltan=()
ldconfig -p | grep -q 'libpangoft2-1.0.so.0' || faltan+=(libpango-1.0-0 libpangoft2-1.0-0)
ldconfig -p | grep -q 'libharfbuzz-subset.so.0' || faltan+=(libharfbuzz-subset0)  # subconjuntos de fuentes: PDF más rápido
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf ] || faltan+=(fonts-dejavu-core)
python3 -c 'import venv, ensurepip' 2>/dev/null || faltan+=(python3-venv)
if ((${#faltan[@]})); then
  echo "Instalando paquetes del sistema: ${faltan[*]}"
  sudo_cmd=""
  [ "$(id -u)" -eq 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${faltan[@]}"
fi
