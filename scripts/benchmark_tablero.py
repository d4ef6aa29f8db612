"""La parte `tablero` de scripts/benchmark.py: el tablero del informe trimestral del libro 10×
la muestra (docs/tablero.md).

Antes de medir, sin contarlo: el informe de ese libro, generado una vez en una carpeta
temporal con `informe-poa trimestral` (su informe.html lleva el explorador). Lo medido, en un
proceso aparte por corrida, con los módulos ya importados (el servidor de la página los
importa al arrancar, `helpers.pagina.tablero.precargar`): armar la página del tablero como
la arma `tablero/<carpeta>` (leer las tablas del informe, el modelo y el HTML:
`helpers.pagina.tablero.pagina`) y, en Chromium, cuánto tarda en mostrar la primera fila de
su tabla. Y cuánto pesa informe.html con el explorador.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml
from benchmark_medicion import RAIZ, aviso, encabezado_de_parte, fila, formatear, libro_grande

OBJETIVO_TABLERO_S = 2.0  # abrir el tablero del libro 10×
OBJETIVO_HTML_MB = 10.0  # informe.html del libro 10×, con el explorador
FACTOR = 10
TITULO = f"El tablero del informe del libro {FACTOR}× la muestra"
CHROMIUM = Path("/usr/bin/chromium")


def _informe(libro: Path, carpeta: Path) -> Path:
    params = yaml.safe_load((RAIZ / "params" / "2024-T2.yaml").read_text(encoding="utf-8"))
    params |= {"datos": str(libro), "salida": str(carpeta / "salida")}
    ruta = carpeta / "params.yaml"
    ruta.write_text(yaml.safe_dump(params, allow_unicode=True), encoding="utf-8")
    subprocess.run([str(Path(sys.executable).with_name("informe-poa")), "trimestral",
                    str(ruta)], check=True, cwd=RAIZ, stdout=subprocess.DEVNULL)
    return carpeta / "salida"


def medir(informe: Path) -> dict:
    """En el proceso medido: armar la página del tablero y mostrarla en Chromium."""
    from playwright.sync_api import sync_playwright

    from helpers.pagina.espacio import Espacio
    from helpers.pagina.tablero import pagina, precargar

    # Lo que el servidor de la página importa al arrancar (`precargar`) no cuenta.
    precargar().join()
    espacio = Espacio.en(informe.parent)
    comienzo = time.perf_counter()
    texto = pagina(espacio, informe.name)
    armar = time.perf_counter() - comienzo
    archivo = informe.parent / "tablero.html"
    archivo.write_text(texto, encoding="utf-8")
    with sync_playwright() as p:
        navegador = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        hoja = navegador.new_page()
        comienzo = time.perf_counter()
        hoja.goto(archivo.as_uri())
        hoja.locator("#explorador .tabulator-row").first.wait_for()
        mostrar = time.perf_counter() - comienzo
        navegador.close()
    return {"armar": armar, "mostrar": mostrar}


def parte(args) -> dict:
    libro = libro_grande(FACTOR, args.cache)
    corridas = []
    with tempfile.TemporaryDirectory(prefix="benchmark-tablero-") as temporal:
        aviso(f"  el informe del libro {FACTOR}× (no cuenta) ...")
        informe = _informe(libro, Path(temporal))
        html_mb = (informe / "informe.html").stat().st_size / 1e6
        for i in range(args.veces):
            salida = subprocess.run([sys.executable, __file__, str(informe)], check=True,
                                    capture_output=True, text=True, cwd=RAIZ)
            corridas.append(json.loads(salida.stdout.strip().splitlines()[-1]))
            aviso(f"  tablero, corrida {i + 1}/{args.veces}: {corridas[-1]}")
    mediana = {clave: sorted(c[clave] for c in corridas)[len(corridas) // 2]
               for clave in ("armar", "mostrar")}
    return {**encabezado_de_parte(args.veces), "factor": FACTOR, "html_mb": html_mb,
            "mediana": mediana}


def filas(datos: dict | None) -> list[dict]:
    if not datos:
        return []
    tamano = f"{datos['factor']}×"
    mediana = datos["mediana"]
    total = mediana["armar"] + mediana["mostrar"]
    return [
        fila("tablero", "… armar la página (tablas, modelo y HTML)", tamano, mediana["armar"]),
        fila("tablero", "… mostrar la primera fila en Chromium", tamano, mediana["mostrar"]),
        fila("tablero", "Abrir el tablero: total", tamano, total,
             objetivo=f"< {formatear(OBJETIVO_TABLERO_S, 0)} s",
             cumple=total < OBJETIVO_TABLERO_S),
        fila("tablero", "informe.html con el explorador", tamano,
             tiempo=f"{formatear(datos['html_mb'], 1)} MB",
             objetivo=f"< {formatear(OBJETIVO_HTML_MB, 0)} MB",
             cumple=datos["html_mb"] < OBJETIVO_HTML_MB),
    ]


if __name__ == "__main__":
    print(json.dumps(medir(Path(sys.argv[1]))))
