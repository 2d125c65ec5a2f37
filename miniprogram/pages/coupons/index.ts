Component({ data: {}, methods: {} });
