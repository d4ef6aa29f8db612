"""Mide el rendimiento del informe (no es una prueba) y escribe docs/rendimiento.md y .json.

Partes (`--solo`, separadas por comas; por omisión, todas, en este orden):

  muestra  el informe trimestral de la muestra en caliente, por etapa (validación, cálculo,
           secciones, HTML, PDF, anexo) y en total;
  piso     el piso de un solo kernel: el código de la memoria de cálculo y de cada sección,
           una celda tras otra en un solo kernel, sin papermill ni cuadernos que escribir;
  carga    lectura, validación y cálculo de las tablas, solos, en libros 1×, 10× y 100× la
           muestra (scripts/generar_grande.py);
  escala   el informe completo en esos mismos libros;
  lote     20 entidades del tamaño de la muestra en el clúster local de Dask
           (`helpers.lote.correr_lote`), frente a las 20 corridas una tras otra;
  recoger  `informe-poa recoger` con los formularios llenos de todas las unidades de la
           muestra (scripts/benchmark_recoger.py);
  cache    el informe con su caché en libros 1× y 10× la muestra: la corrida completa sin
           caché, la primera con caché, otra después de cambiar una celda (mediana de 5
           celdas distintas) y otra sin cambios, con el servidor residente y lo que ocupa
           mientras espera (scripts/benchmark_cache.py);
  tablero  el tablero del informe del libro 10×: armarlo y mostrarlo en Chromium, y el peso
           de informe.html con el explorador (scripts/benchmark_tablero.py);
  pruebas  `make test` en un clon nuevo del proyecto (scripts/benchmark_pruebas.py).

Cada medición corre en un proceso aparte: el tiempo es el de reloj y la memoria, el pico
de la suma del RSS del proceso y de todos sus descendientes (los kernels de Jupyter, los
trabajadores de Dask), muestreado con psutil. De varias corridas (`--veces`) se da la
mediana. Cada corrida tiene un límite (`--limite`); la que lo pasa se detiene y figura como
«no terminó en N s».

Antes y después de cada parte, el script se calibra: un bucle fijo de Python puro, solo y
dos a la vez en dos procesos. Sus segundos, junto a la máquina, dicen lo rápida que estaba:
las cifras de dos máquinas (o de una que cambió de velocidad) se comparan con ellos.

Los informes se escriben en carpetas temporales (nada en output/ cambia); los libros grandes
se escriben una vez en output/benchmark-datos/ y se reutilizan. Al terminar cada parte, el
script guarda las cifras en docs/rendimiento.json (las partes que no se corrieron conservan
las anteriores) y rehace la tabla de docs/rendimiento.md y el resumen de README.md, sólo
entre sus marcas.

Lo que comparten las partes (medir un proceso, calibrar, la mediana, las filas) está en
scripts/benchmark_medicion.py, y lo que corre dentro del proceso medido, en
scripts/benchmark_interno.py.

Uso: .venv/bin/python scripts/benchmark.py
         [--solo muestra,piso,carga,escala,lote,recoger,cache,tablero,pruebas] [--veces 3]
         [--veces-lote 1]
         [--factores 1,10,100] [--factores-cache 1,10] [--limite 900] [--entidades 20]
"""
from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

import benchmark_cache
import benchmark_pruebas
import benchmark_recoger
import benchmark_tablero
from benchmark_interno import correr_interno
from benchmark_medicion import (
    CACHE_LIBROS,
    RAIZ,
    Corrida,
    aviso,
    calibrar,
    encabezado_de_parte,
    fila,
    formatear,
    libro_grande,
    medir_proceso,
    orden_interna,
    params_temporal,
    resumir_corridas,
    texto_calibracion,
    texto_corrida,
    texto_tamano,
)
from marcas import reemplazar_entre

# --- Objetivos (issue 12, en una máquina de 2 núcleos) -----------------------------------
OBJETIVO_MUESTRA_S = 20.0  # el informe trimestral de la muestra, en caliente
OBJETIVO_VECES_PISO = 1.5  # ... y no más que 1,5 veces el piso de un solo kernel
FACTOR_OBJETIVO = 100  # los objetivos de escala son los del libro 100 veces la muestra
OBJETIVO_CARGA_S = 10.0  # lectura, validación y cálculo del libro 100×
OBJETIVO_CARGA_MB = 1500.0
OBJETIVO_INFORME_S = 120.0  # el informe completo del libro 100×
OBJETIVO_INFORME_MB = 2000.0
# Crecimiento de 1× a 100×: (tiempo grande / tiempo chico) / (operaciones grande / chico).
OBJETIVO_CRECIMIENTO = 1.0
# El lote de 20 entidades: su tiempo dividido por el de las 20 corridas seguidas, menor que 1.
# Con menos entidades la razón se mide y se muestra, pero no se juzga.
OBJETIVO_LOTE = 1.0
ENTIDADES_OBJETIVO = 20

PARTES = ("muestra", "piso", "carga", "escala", "lote", "recoger", "cache", "tablero",
          "pruebas")
PARAMS_MUESTRA = "params/2024-T2.yaml"
MD = RAIZ / "docs" / "rendimiento.md"
JSON = RAIZ / "docs" / "rendimiento.json"
README = RAIZ / "README.md"
MARCAS_MD = ("<!-- rendimiento:inicio -->", "<!-- rendimiento:fin -->")
MARCAS_README = ("<!-- rendimiento-resumen:inicio -->", "<!-- rendimiento-resumen:fin -->")

# Las etapas del informe, en orden, con su rótulo en la tabla.
ETAPAS = {
    "arranque": "arranque de Python e importaciones",
    "validacion": "validación (lectura y comprobación del libro)",
    "preparacion": "preparación (carpeta temporal y entrada/)",
    "calculo": "cálculo (memoria de cálculo, con el arranque del kernel)",
    "secciones": "secciones (cuadernos en paralelo)",
    "html": "HTML (lectores y auditoría)",
    "pdf": "PDF",
    "ensamblado": "HTML y PDF",
    "docx": "DOCX para Word (en otro proceso, a la par del PDF: no se suma al total)",
    "espera": "espera del DOCX y de la página de auditoría después del PDF (sí se suma)",
    "anexo": "tablas/, anexo Excel y manifiesto (lo que queda después del PDF)",
    "total": "total",
}


# --- Las partes -------------------------------------------------------------------------


def etapas_de(corrida: Corrida) -> dict[str, dict]:
    """Segundos y pico de memoria de cada etapa de una corrida del informe, de las horas
    que anotó el cronómetro (etapas que no se reconocen quedan fuera)."""
    r = corrida.resultado
    marcas = r.get("marcas", [])

    def etapa(clave: str) -> float | None:
        return next((m["t"] for m in marcas if m["tipo"] == "etapa"
                     and clave.lower() in m["texto"].lower()), None)

    secciones = next((m["t"] for m in marcas if m["tipo"] == "secciones"), None)
    memoria = next((m["t"] for m in marcas if m["tipo"] == "seccion"), None)
    # Cada etapa avisa al terminar: el ensamblado empieza cuando terminan las secciones, y
    # las tablas y el anexo, cuando termina el ensamblado.
    validos, ensamblando = etapa("Datos válidos"), etapa("Secciones ejecutadas")
    anexo, listo = etapa("ensamblados"), etapa("Informe listo")
    cortes = [("arranque", corrida.inicio, r.get("comienzo")),
              ("validacion", r.get("comienzo"), validos),
              ("preparacion", validos, secciones),
              ("calculo", secciones, memoria),
              ("secciones", memoria, ensamblando)]
    pdf = r.get("ensamblado", {})
    if ensamblando and anexo and "pdf" in pdf:
        fin_html = anexo - pdf.get("maquetar", 0.0) - pdf["pdf"]
        cortes += [("html", ensamblando, fin_html), ("pdf", fin_html, anexo)]
    else:
        cortes.append(("ensamblado", ensamblando, anexo))
    cortes.append(("anexo", anexo, listo))
    etapas = {}
    for nombre, desde, hasta in cortes:
        if desde is not None and hasta is not None:
            etapas[nombre] = {"segundos": hasta - desde,
                              "pico_mb": corrida.pico_entre(desde, hasta)}
    # El DOCX se escribe en otro proceso mientras se compone el PDF: su tiempo, y lo que la
    # corrida lo esperó después (el registro del ensamblado dice los dos).
    for nombre, claves in (("docx", ("docx-aparte", "docx")), ("espera", ("espera",))):
        segundos = next((pdf[c] for c in claves if c in pdf), None)
        if segundos is not None:
            etapas[nombre] = {"segundos": segundos, "pico_mb": None}
    etapas["total"] = {"segundos": corrida.segundos, "pico_mb": corrida.pico_mb}
    return etapas


def medir_informe(params: Path, veces: int, limite: float, nombre: str) -> dict:
    corridas = []
    for i in range(veces):
        with tempfile.TemporaryDirectory(prefix="benchmark-informe-") as temporal:
            copia = params_temporal(params, Path(temporal) / "params.yaml",
                                    salida=Path(temporal) / "salida")
            corrida = medir_proceso(orden_interna("informe", "--params", str(copia)), limite)
        corridas.append(corrida)
        aviso(f"  {nombre}, corrida {i + 1}/{veces}: {texto_corrida(corrida)}")
        if not corrida.bien:
            break  # una corrida que falla o no termina fallaría igual las siguientes
    return resumir_corridas(corridas, etapas_de)


def parte_muestra(args) -> dict:
    params = Path(args.params)
    if args.calentar:
        aviso("  corrida de calentamiento (no cuenta) ...")
        medir_informe(params, 1, args.limite, "calentamiento")
    return {**encabezado_de_parte(args.veces), "params": str(args.params),
            **medir_informe(params, args.veces, args.limite, "informe de la muestra")}


def parte_piso(args) -> dict:
    corridas = []
    with tempfile.TemporaryDirectory(prefix="benchmark-piso-") as temporal:
        copia = params_temporal(args.params, Path(temporal) / "params.yaml",
                                salida=Path(temporal) / "salida")
        for i in range(args.veces):
            corrida = medir_proceso(orden_interna("piso", "--params", str(copia)), args.limite)
            corridas.append(corrida)
            aviso(f"  piso, corrida {i + 1}/{args.veces}: {texto_corrida(corrida)}")
            if not corrida.bien:
                break

    def cifras(c: Corrida) -> dict:
        r = c.resultado
        return {"piso": {"segundos": r["final"] - r["comienzo"],
                         "pico_mb": c.pico_entre(r["comienzo"], r["final"])},
                "kernel": {"segundos": r["primera_celda"] - r["comienzo"], "pico_mb": None}}

    resumen = resumir_corridas(corridas, cifras)
    resumen["cuadernos"] = next((c.resultado.get("cuadernos") for c in corridas if c.bien), None)
    resumen["tamano"] = next((c.resultado.get("tamano") for c in corridas if c.bien), None)
    return {**encabezado_de_parte(args.veces), "params": str(args.params), **resumen}


def parte_carga(args) -> dict:
    factores = {}
    for factor in args.factores:
        libro = libro_grande(factor, args.cache)
        with tempfile.TemporaryDirectory(prefix="benchmark-carga-") as temporal:
            copia = params_temporal(args.params, Path(temporal) / "params.yaml", datos=libro,
                                    salida=Path(temporal) / "salida")
            corridas = []
            for i in range(args.veces):
                corrida = medir_proceso(orden_interna("carga", "--params", str(copia)),
                                        args.limite)
                corridas.append(corrida)
                aviso(f"  carga {factor}×, corrida {i + 1}/{args.veces}: "
                      f"{texto_corrida(corrida)}")
                if not corrida.bien:
                    break

        def cifras(c: Corrida) -> dict:
            r = c.resultado
            return {"carga": {"segundos": r["final"] - r["comienzo"], "pico_mb": c.pico_mb},
                    "validacion": {"segundos": r["validado"] - r["comienzo"], "pico_mb": None},
                    "calculo": {"segundos": r["final"] - r["validado"], "pico_mb": None}}

        factores[str(factor)] = resumir_corridas(corridas, cifras)
    return {**encabezado_de_parte(args.veces), "params": str(args.params), "factores": factores}


def parte_escala(args) -> dict:
    factores = {}
    for factor in args.factores:
        libro = libro_grande(factor, args.cache)
        with tempfile.TemporaryDirectory(prefix="benchmark-escala-") as temporal:
            copia = params_temporal(args.params, Path(temporal) / "params.yaml", datos=libro,
                                    salida=Path(temporal) / "salida")
            factores[str(factor)] = medir_informe(copia, args.veces, args.limite,
                                                  f"informe {factor}×")
    return {**encabezado_de_parte(args.veces), "params": str(args.params), "factores": factores,
            "limite": args.limite}


def lote_disponible() -> bool:
    import importlib.util

    return importlib.util.find_spec("helpers.lote") is not None


def parte_lote(args) -> dict:
    encabezado = {**encabezado_de_parte(args.veces_lote), "entidades": args.entidades,
                  "params": str(args.params)}
    if not lote_disponible():
        aviso("  lote: no disponible (falta helpers.lote)")
        return {**encabezado, "disponible": False}
    limite = args.limite_lote

    def medir(modo: str) -> dict:
        corridas = []
        for i in range(args.veces_lote):
            with tempfile.TemporaryDirectory(prefix=f"benchmark-{modo}-") as temporal:
                rutas = [
                    params_temporal(args.params, Path(temporal) / "params" / f"E{k:02d}.yaml",
                                    salida=Path(temporal) / "salida" / f"E{k:02d}",
                                    entidad={"nombre": f"Entidad de prueba {k:02d}",
                                             "sigla": f"E{k:02d}"})
                    for k in range(1, args.entidades + 1)
                ]
                argumentos = [a for ruta in rutas for a in ("--params", str(ruta))]
                corrida = medir_proceso(orden_interna(modo, *argumentos), limite)
                hechos = sum(1 for k in range(1, args.entidades + 1)
                             if (Path(temporal) / "salida" / f"E{k:02d}" / "informe.pdf")
                             .exists())
            if corrida.bien and corrida.resultado.get("disponible") is False:
                return {"disponible": False}
            if corrida.bien and hechos < args.entidades:
                corrida.error = f"sólo {hechos} de {args.entidades} informes completos"
            corridas.append(corrida)
            aviso(f"  {modo}, corrida {i + 1}/{args.veces_lote}: {texto_corrida(corrida)}")
            if not corrida.bien:
                break
        def cifras(c: Corrida) -> dict:
            informes = c.resultado.get("tiempos", {}).get("informes")
            return {modo: {"segundos": c.segundos, "pico_mb": c.pico_mb},
                    **({"informes": {"segundos": informes, "pico_mb": None}}
                       if informes is not None else {})}

        return resumir_corridas(corridas, cifras)

    lote = medir("lote")
    if lote.get("disponible") is False:
        return {**encabezado, "disponible": False}
    return {**encabezado, "disponible": True, "lote": lote, "seguidos": medir("seguidos"),
            "limite": limite}


CORRER = {"muestra": parte_muestra, "piso": parte_piso, "carga": parte_carga,
          "escala": parte_escala, "lote": parte_lote, "recoger": benchmark_recoger.parte,
          "cache": benchmark_cache.parte, "tablero": benchmark_tablero.parte,
          "pruebas": benchmark_pruebas.parte}


# --- Las filas de la tabla --------------------------------------------------------------


def _objetivo_s_mb(segundos: float, mb: float) -> str:
    return f"≤ {formatear(segundos, 0)} s y ≤ {formatear(mb, 0)} MB"


def filas_muestra(muestra: dict | None, piso: dict | None) -> list[dict]:
    filas = []
    if muestra:
        tamano = texto_tamano(1, muestra.get("tamano"))
        if muestra.get("error"):
            filas.append(fila("muestra", "Informe trimestral de la muestra", tamano,
                              objetivo=f"≤ {formatear(OBJETIVO_MUESTRA_S, 0)} s",
                              cumple=False, tiempo=muestra["error"]))
        else:
            mediana = muestra["mediana"]
            for clave, rotulo in ETAPAS.items():
                if clave not in mediana:
                    continue
                cifra = mediana[clave]
                if clave == "total":
                    filas.append(fila(
                        "muestra", "Informe trimestral de la muestra: total", tamano,
                        cifra["segundos"], cifra["pico_mb"],
                        f"≤ {formatear(OBJETIVO_MUESTRA_S, 0)} s",
                        cifra["segundos"] <= OBJETIVO_MUESTRA_S))
                else:
                    filas.append(fila("muestra", f"… {rotulo}", "1×", cifra["segundos"],
                                      cifra["pico_mb"]))
    if piso:
        tamano = texto_tamano(1, piso.get("tamano"))
        if piso.get("error"):
            filas.append(fila("piso", "Piso de un solo kernel", tamano, tiempo=piso["error"]))
            return filas
        cifra = piso["mediana"]["piso"]
        filas.append(fila("piso", f"Piso de un solo kernel ({piso.get('cuadernos')} cuadernos "
                                  "en un kernel, con su arranque)", tamano,
                          cifra["segundos"], cifra["pico_mb"]))
        if muestra and not muestra.get("error") and cifra["segundos"]:
            mediana = muestra["mediana"]
            secciones = sum(mediana[k]["segundos"] for k in ("calculo", "secciones")
                            if k in mediana)
            veces_secciones = secciones / cifra["segundos"]
            filas.append(fila("piso", "Cálculo y secciones del informe ÷ piso", "1×",
                              tiempo=f"{formatear(veces_secciones, 2)} ×"))
            veces_total = mediana["total"]["segundos"] / cifra["segundos"]
            filas.append(fila("piso", "Informe total ÷ piso", "1×",
                              tiempo=f"{formatear(veces_total, 2)} ×",
                              objetivo=f"≤ {formatear(OBJETIVO_VECES_PISO, 1)} ×",
                              cumple=veces_total <= OBJETIVO_VECES_PISO))
    return filas


def filas_escala(parte: str, datos: dict | None, que: str, clave: str, objetivo_s: float,
                 objetivo_mb: float) -> list[dict]:
    if not datos:
        return []
    filas = []
    medidos = []
    for factor_texto, resumen in datos["factores"].items():
        factor = int(factor_texto)
        tamano = texto_tamano(factor, resumen.get("tamano"))
        con_objetivo = factor == FACTOR_OBJETIVO
        objetivo = _objetivo_s_mb(objetivo_s, objetivo_mb) if con_objetivo else "—"
        if resumen.get("error"):
            filas.append(fila(parte, que, tamano, objetivo=objetivo,
                              cumple=False if con_objetivo else None,
                              tiempo=resumen["error"]))
            continue
        cifra = resumen["mediana"][clave]
        cumple = (cifra["segundos"] <= objetivo_s and cifra["pico_mb"] <= objetivo_mb
                  if con_objetivo else None)
        filas.append(fila(parte, que, tamano, cifra["segundos"], cifra["pico_mb"], objetivo,
                          cumple))
        if resumen.get("tamano"):
            medidos.append((factor, cifra["segundos"], resumen["tamano"]["operaciones"]))
    if len(medidos) >= 2:
        (f0, s0, n0), (f1, s1, n1) = min(medidos), max(medidos)
        crecimiento = (s1 / s0) / (n1 / n0)
        filas.append(fila(parte, f"{que}: crecimiento de {f0}× a {f1}× "
                                 "(razón de tiempos ÷ razón de operaciones)",
                          f"{f0}× → {f1}×", tiempo=formatear(crecimiento, 2),
                          objetivo=f"≤ {formatear(OBJETIVO_CRECIMIENTO, 0)} (lineal)",
                          cumple=crecimiento <= OBJETIVO_CRECIMIENTO))
    return filas


def filas_lote(lote: dict | None) -> list[dict]:
    if not lote:
        return []
    n = lote.get("entidades")
    tamano = f"{n} × 1×"
    if not lote.get("disponible"):
        return [fila("lote", "Lote en el clúster local de Dask", tamano,
                     tiempo="lote: no disponible")]
    filas = []
    seguidos, del_lote = lote["seguidos"], lote["lote"]
    # El objetivo es el de un lote de ENTIDADES_OBJETIVO; uno más chico no se juzga.
    juzgado = n >= ENTIDADES_OBJETIVO
    objetivo = f"< {formatear(OBJETIVO_LOTE, 0)} × (con {ENTIDADES_OBJETIVO} entidades)"
    for datos, clave, que in ((seguidos, "seguidos", f"{n} informes seguidos, uno tras otro"),
                              (del_lote, "lote", f"Lote de {n} en el clúster local de Dask")):
        if datos.get("error"):
            filas.append(fila("lote", que, tamano, tiempo=datos["error"]))
        else:
            cifra = datos["mediana"][clave]
            filas.append(fila("lote", que, tamano, cifra["segundos"], cifra["pico_mb"]))
            if datos["mediana"].get("informes", {}).get("segundos") is not None:
                filas.append(fila("lote", "… de ellos, los informes (sin el consolidado)",
                                  tamano, datos["mediana"]["informes"]["segundos"]))
    if not seguidos.get("error") and not del_lote.get("error"):
        razon = (del_lote["mediana"]["lote"]["segundos"]
                 / seguidos["mediana"]["seguidos"]["segundos"])
        filas.append(fila("lote", "Lote ÷ seguidos", tamano,
                          tiempo=f"{formatear(razon, 2)} ×", objetivo=objetivo,
                          cumple=razon < OBJETIVO_LOTE if juzgado else None))
    elif del_lote.get("error"):
        filas.append(fila("lote", "Lote ÷ seguidos", tamano, tiempo="—", objetivo=objetivo,
                          cumple=False if juzgado else None))
    return filas


def filas(partes: dict) -> list[dict]:
    """Todas las filas de la tabla, de las cifras guardadas de cada parte."""
    return [
        *filas_muestra(partes.get("muestra"), partes.get("piso")),
        *filas_escala("carga", partes.get("carga"), "Lectura, validación y cálculo de las tablas",
                      "carga", OBJETIVO_CARGA_S, OBJETIVO_CARGA_MB),
        *filas_escala("escala", partes.get("escala"), "Informe completo", "total",
                      OBJETIVO_INFORME_S, OBJETIVO_INFORME_MB),
        *filas_lote(partes.get("lote")),
        *benchmark_recoger.filas(partes.get("recoger")),
        *benchmark_cache.filas(partes.get("cache")),
        *benchmark_tablero.filas(partes.get("tablero")),
        *benchmark_pruebas.filas(partes.get("pruebas")),
    ]


# --- Markdown -----------------------------------------------------------------------------

TITULOS = {
    "muestra": "Informe trimestral de la muestra, en caliente, por etapa",
    "piso": "Piso de un solo kernel",
    "carga": "Lectura, validación y cálculo, en libros 1×, 10× y 100× la muestra",
    "escala": "Informe completo en libros 1×, 10× y 100× la muestra",
    "lote": "Muchas entidades a la vez",
    "recoger": benchmark_recoger.TITULO,
    "cache": benchmark_cache.TITULO,
    "tablero": benchmark_tablero.TITULO,
    "pruebas": benchmark_pruebas.TITULO,
}


def _celda(texto: str) -> str:
    return str(texto).replace("|", "\\|").replace("\n", " ")


def _resultado(cumple: bool | None) -> str:
    return "—" if cumple is None else ("CUMPLE" if cumple else "NO CUMPLE")


def tabla_markdown(filas_: list[dict]) -> str:
    lineas = ["| Qué | Tamaño | Tiempo (mediana) | Memoria pico (mediana) | Objetivo | Resultado |",
              "|---|---|---:|---:|---|---|"]
    for f in filas_:
        lineas.append("| " + " | ".join(_celda(c) for c in (
            f["que"], f["tamano"], f["tiempo"], f["memoria"], f["objetivo"],
            _resultado(f["cumple"]))) + " |")
    return "\n".join(lineas)


def _texto_maquina(m: dict) -> str:
    fisicos = f" ({m['nucleos_fisicos']} físicos)" if m.get("nucleos_fisicos") else ""
    carga = (f"; carga media al empezar {formatear(m['carga_media_1min'], 2)}"
             if m.get("carga_media_1min") is not None else "")
    return (f"{m['cpu']}, {m['nucleos_logicos']} núcleos lógicos{fisicos}, "
            f"{formatear(m['memoria_gb'], 1)} GB de memoria; {m['sistema']}; "
            f"Python {m['python']}{carga}")


def bloque_markdown(partes: dict) -> str:
    """La parte generada de docs/rendimiento.md: por cada parte medida, cuándo, cuántas
    veces, en qué máquina y su tabla."""
    todas = filas(partes)
    bloques = []
    for parte in PARTES:
        datos = partes.get(parte)
        if not datos:
            continue
        propias = [f for f in todas if f["parte"] == parte]
        veces = datos.get("veces")
        # Una parte cuyas mediciones no se repiten todas igual lo dice en `como`.
        como = datos.get("como") or (f"{veces} {'vez' if veces == 1 else 'veces'}"
                                     f"{', mediana' if veces and veces > 1 else ''}")
        bloques.append(
            f"### {TITULOS[parte]}\n\n"
            f"Medido el {datos['fecha']}, {como}. "
            f"Máquina: {_texto_maquina(datos['maquina'])}."
            f"{texto_calibracion(datos.get('calibracion'))}\n\n{tabla_markdown(propias)}")
    if not bloques:
        return "Todavía no hay mediciones: corra `make benchmark`."
    return "\n\n".join(bloques)


def bloque_readme(partes: dict) -> str:
    """El resumen de README.md: las filas con objetivo."""
    con_objetivo = [f for f in filas(partes) if f["cumple"] is not None]
    if not con_objetivo:
        return "Todavía no hay mediciones: corra `make benchmark`."
    lineas = ["| Qué | Tamaño | Medido | Objetivo | Resultado |", "|---|---|---:|---|---|"]
    for f in con_objetivo:
        medido = f["tiempo"] if f["memoria"] == "—" else f"{f['tiempo']}, {f['memoria']}"
        lineas.append("| " + " | ".join(_celda(c) for c in (
            f["que"], f["tamano"], medido, f["objetivo"], _resultado(f["cumple"]))) + " |")
    return "\n".join(lineas)


def escribir_resultados(partes: dict, md: Path = MD, json_: Path = JSON,
                        readme: Path | None = README) -> None:
    """Guarda las cifras (JSON) y rehace las tablas entre las marcas de `md` y `readme`."""
    datos = {"objetivos": {
        "muestra_s": OBJETIVO_MUESTRA_S, "veces_piso": OBJETIVO_VECES_PISO,
        "factor": FACTOR_OBJETIVO, "carga_s": OBJETIVO_CARGA_S, "carga_mb": OBJETIVO_CARGA_MB,
        "informe_s": OBJETIVO_INFORME_S, "informe_mb": OBJETIVO_INFORME_MB,
        "crecimiento": OBJETIVO_CRECIMIENTO, "lote": OBJETIVO_LOTE,
        "recoger_s": benchmark_recoger.OBJETIVO_RECOGER_S,
        "cache_una_celda": benchmark_cache.OBJETIVO_UNA_CELDA,
        "cache_sin_cambios_s": benchmark_cache.OBJETIVO_SIN_CAMBIOS_S,
        "cache_en_espera_mb": benchmark_cache.OBJETIVO_EN_ESPERA_MB,
        "lineas_residente": benchmark_cache.OBJETIVO_LINEAS_RESIDENTE,
        "pruebas_s": benchmark_pruebas.OBJETIVO_PRUEBAS_S},
        "partes": partes, "filas": filas(partes)}
    json_.write_text(json.dumps(datos, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    md.write_text(reemplazar_entre(md.read_text(encoding="utf-8"), MARCAS_MD,
                                   bloque_markdown(partes), md.name), encoding="utf-8")
    if readme is not None:
        readme.write_text(reemplazar_entre(readme.read_text(encoding="utf-8"), MARCAS_README,
                                           bloque_readme(partes), readme.name),
                          encoding="utf-8")


def leer_partes(json_: Path) -> dict:
    if json_.exists():
        return json.loads(json_.read_text(encoding="utf-8")).get("partes", {})
    return {}


# --- Línea de órdenes -------------------------------------------------------------------


def _lista(texto: str, valores=None) -> list[str]:
    elementos = [e.strip() for e in texto.split(",") if e.strip()]
    if valores is not None:
        malos = [e for e in elementos if e not in valores]
        if malos:
            raise argparse.ArgumentTypeError(
                f"{', '.join(malos)}: no es una parte; las partes son {', '.join(valores)}")
    return elementos


def _factores(texto: str) -> list[int]:
    try:
        factores = [int(e) for e in _lista(texto)]
    except ValueError:
        raise argparse.ArgumentTypeError(f"{texto}: enteros separados por comas") from None
    if not factores or min(factores) < 1:
        raise argparse.ArgumentTypeError(f"{texto}: enteros de 1 en adelante")
    return factores


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Mide el rendimiento del informe y escribe docs/rendimiento.md.",
        epilog="Las partes: " + ", ".join(PARTES) + " (ver docs/rendimiento.md).")
    parser.add_argument("--solo", type=lambda t: _lista(t, PARTES), default=list(PARTES),
                        help="partes a medir, separadas por comas (por omisión, todas)")
    parser.add_argument("--veces", type=int, default=3,
                        help="corridas de cada medición; se da la mediana (por omisión 3)")
    parser.add_argument("--veces-lote", type=int, default=1,
                        help="corridas del lote y de las corridas seguidas (por omisión 1)")
    parser.add_argument("--factores", type=_factores, default=[1, 10, 100],
                        help="tamaños de los libros de carga y escala (por omisión 1,10,100)")
    parser.add_argument("--factores-cache", type=_factores,
                        default=list(benchmark_cache.FACTORES),
                        help="tamaños de los libros de la parte cache (por omisión "
                             f"{','.join(map(str, benchmark_cache.FACTORES))})")
    parser.add_argument("--limite", type=float, default=900.0,
                        help="segundos que puede tardar una corrida (por omisión 900)")
    parser.add_argument("--limite-pruebas", type=float, default=5400.0,
                        help="segundos que puede tardar make test (por omisión 5400)")
    parser.add_argument("--limite-lote", type=float, default=7200.0,
                        help="segundos que puede tardar el lote entero (por omisión 7200)")
    parser.add_argument("--entidades", type=int, default=ENTIDADES_OBJETIVO,
                        help=f"entidades del lote (por omisión {ENTIDADES_OBJETIVO}; con menos, "
                             "la razón lote ÷ seguidos se mide pero no se juzga)")
    parser.add_argument("--params", action="append",
                        help=f"parámetros del informe medido (por omisión {PARAMS_MUESTRA})")
    parser.add_argument("--sin-calentar", dest="calentar", action="store_false",
                        help="sin la corrida de calentamiento antes del informe de la muestra")
    parser.add_argument("--cache", type=Path, default=CACHE_LIBROS,
                        help="carpeta de los libros grandes generados")
    parser.add_argument("--md", type=Path, default=MD, help=argparse.SUPPRESS)
    parser.add_argument("--json", type=Path, default=JSON, help=argparse.SUPPRESS)
    parser.add_argument("--readme", type=Path, default=README, help=argparse.SUPPRESS)
    parser.add_argument("--sin-readme", action="store_true", help=argparse.SUPPRESS)
    # Lo que corre dentro del proceso medido.
    parser.add_argument("--interno", help=argparse.SUPPRESS)
    parser.add_argument("--resultado", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--formularios", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.interno:
        # El proceso medido termina como `informe-poa` (helpers.cli.terminar): lo que se
        # mide es lo que espera quien lo corre.
        from helpers.cli import terminar

        terminar(correr_interno(args.interno, args.params, args.resultado,
                                args.formularios))
    args.params = args.params[-1] if args.params else PARAMS_MUESTRA
    if args.veces < 1 or args.veces_lote < 1 or args.entidades < 1:
        parser.error("--veces, --veces-lote y --entidades: 1 o más")
    partes = leer_partes(args.json)
    for parte in PARTES:
        if parte not in args.solo:
            continue
        aviso(f"{parte}: {TITULOS[parte]}")
        antes = calibrar()
        partes[parte] = CORRER[parte](args)
        partes[parte]["calibracion"] = {"antes": antes, "despues": calibrar()}
        escribir_resultados(partes, args.md, args.json,
                            None if args.sin_readme else args.readme)
    aviso(tabla_markdown(filas({p: partes[p] for p in partes if p in args.solo})))
    aviso(f"Resultados en {args.md} y {args.json}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
