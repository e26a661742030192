# The report: the build's resolved config, the values of the sections without a values rule of their
# own (sdm, intersection, beta, optimal, learned_beta: one macro file), and the PDF.


rule resolved_config:
    output:
        reported("data/config.resolved.yaml", "report", "resolved_config", "Record"),
    log:
        "data/logs/resolved_config.log",
    message:
        "Record the resolved config of this build"
    params:
        yaml=config["resolved_yaml"],
    conda:
        ENV_FILE
    script:
        "../scripts/report/resolved_config.py"


rule report_values:
    input:
        unpack(reference_inputs),
        sweep="data/beta_fits.nc",
        optimal="data/optimal/radii.nc",
        schematic="data/schematic.nc",
        runs="data/learned_beta/runs.nc",
        published=published_betas,
        lib=library("sections/beta", "sections/optimal", "sections/sdm", "sections/learned_beta", "sections/latex", "learned/published"),
    output:
        macros="paper/generated/macros.tex",
        beta_table="paper/generated/tables/beta_reference.tex",
        optimal_table="paper/generated/tables/optimal_reference.tex",
        settings_table="paper/generated/tables/optimal_settings.tex",
        learned_table="paper/generated/tables/learned_beta.tex",
    log:
        "data/logs/report_values.log",
    message:
        "Generate the report's numbers (macros) and tables from the β fits and optimal radii"
    params:
        radii=list(REF.radii),
        decay_radius=REF.decay_radius,
        log2_r=REF.log2_r,
        text_width_in=FIG.text_width_in,
        d_min=CFG.fit.d_min,
        d_max=CFG.fit.d_max,
        agree=LB.agree,
    conda:
        ENV_FILE
    script:
        "../scripts/report/report_values.py"


rule figure_marks:
    input:
        figures=list(FIGURES.values()),
        lib=library("sections/latex"),
    output:
        "paper/generated/marks.tex",
    log:
        "data/logs/figure_marks.log",
    message:
        "Generate each figure caption's mark: its rule, script and commit"
    params:
        names=list(FIGURES),
        sources=figure_sources,
        repository_url=CFG.report.repository_url,
    conda:
        ENV_FILE
    script:
        "../scripts/report/figure_marks.py"


rule report:
    input:
        tex=REPORT_TEX,
        sections=REPORT_SECTIONS,
        bib="paper/references.bib",
        macros=["paper/generated/macros.tex", "paper/generated/continuous.tex", "paper/generated/memory.tex",
                "paper/generated/scorecard.tex", "paper/generated/errata.tex", "paper/generated/marks.tex",
                "paper/generated/learned_scale.tex"],
        tables=expand("paper/generated/tables/{name}.tex", name=REPORT_TABLES),
        figures=list(FIGURES.values()),
        pretrained=pretrained_report_inputs,
    output:
        reported(REPORT_PDF, "report", "report_pdf", "Report"),
    log:
        "data/logs/report.log",
    message:
        "Build the report PDF with latexmk"
    conda:
        ENV_FILE
    shell:
        "latexmk -pdf -interaction=nonstopmode -halt-on-error -cd -outdir=build {input.tex} > {log} 2>&1"


rule arxiv:
    input:
        pdf=REPORT_PDF,
        tex=REPORT_TEX,
        lib=library("sections/latex"),
    output:
        "paper/build/arxiv.tar.gz",
    log:
        "data/logs/arxiv.log",
    message:
        "Bundle the report's sources, generated macros and tables, figures and .bbl for arXiv"
    params:
        fls=lambda wildcards, input: os.path.splitext(input.pdf)[0] + ".fls",  # latexmk's record of what the build read
        paper=lambda wildcards, input: os.path.dirname(input.tex),
    conda:
        ENV_FILE
    script:
        "../scripts/report/arxiv_bundle.py"
